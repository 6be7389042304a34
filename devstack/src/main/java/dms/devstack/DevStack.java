package dms.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole local system in one directory: a Kafka broker and three PostgreSQL clusters ({@code control} with the
 * {@code dms_control} database, {@code source} with logical decoding, {@code destination}), and on demand the
 * four services. Tests use it in-process; {@code bin/dms-local up} uses it and then {@link #detach()}es.
 */
public final class DevStack implements AutoCloseable {
    public static final String CONTROL = "control";
    public static final String SOURCE = "source";
    public static final String DESTINATION = "destination";
    public static final String CONTROL_DATABASE = "dms_control";

    private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);

    private final StackLayout layout;
    private final Path repoRoot;
    private final PgCluster control;
    private final PgCluster source;
    private final PgCluster destination;
    private final KafkaBroker kafka;
    private final Map<DmsService, ServiceProcess> services = Collections.synchronizedMap(new EnumMap<>(DmsService.class));
    private final List<ServiceProcess> extraServices = Collections.synchronizedList(new ArrayList<>());
    private final Map<DmsService, Map<String, String>> settings = new EnumMap<>(DmsService.class);
    private final Thread shutdownHook = new Thread(this::close, "devstack-shutdown");
    private Duration startupTime = Duration.ZERO;
    private boolean closed;

    private DevStack(StackLayout layout, Path repoRoot) {
        this.layout = layout;
        this.repoRoot = repoRoot;
        this.control = cluster(CONTROL);
        this.source = cluster(SOURCE)
                .setting("wal_level", "logical")
                .setting("max_replication_slots", "20")
                .setting("max_wal_senders", "20");
        this.destination = cluster(DESTINATION);
        this.kafka = new KafkaBroker(layout.kafkaFolder(), RepoRoot.brokerLibs(repoRoot)).logDir(layout.logs());
    }

    /** Starts the broker and the clusters in {@code workDir}, for the checkout found by {@link RepoRoot#find()}. */
    public static DevStack start(Path workDir) {
        return start(workDir, RepoRoot.find());
    }

    /**
     * Starts the broker and the three clusters in parallel (initdb, JVM start-up and KRaft election overlap)
     * and waits until each one serves. Reuses what an earlier stack left in {@code workDir}. Until
     * {@link #close()} or {@link #detach()}, a JVM shutdown hook stops them, so a killed test run leaves no
     * processes behind.
     */
    public static DevStack start(Path workDir, Path repoRoot) {
        long t0 = System.nanoTime();
        StackLayout layout = new StackLayout(workDir);
        createOpenDirectory(layout.dir());
        createOpenDirectory(layout.logs());
        DevStack stack = new DevStack(layout, repoRoot);
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            inParallel(List.of(
                    timed("kafka", () -> stack.kafka.start()),
                    timed(CONTROL, () -> {
                        stack.control.start();
                        stack.control.createDatabase(CONTROL_DATABASE);
                    }),
                    timed(SOURCE, () -> stack.source.start()),
                    timed(DESTINATION, () -> stack.destination.start())));
        } catch (RuntimeException e) {
            stack.closeQuietly(e);
            throw e;
        }
        stack.startupTime = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info("devstack up in {} ms: kafka {}, control :{}, source :{}, destination :{}", stack.startupTime.toMillis(),
                stack.kafka.bootstrapServers(), stack.control.port(), stack.source.port(), stack.destination.port());
        return stack;
    }

    /** Starts the four services with free ports. */
    public Map<DmsService, ServiceProcess> startServices() {
        return startServices(Map.of());
    }

    /**
     * Starts the services whose jar is built (others are skipped with a warning): the orchestrator first, as it
     * owns the control database, then the other three at once. A port from {@code preferredPorts} is used when
     * free. If one fails, those started here are stopped again and the failure is thrown with its log.
     */
    public Map<DmsService, ServiceProcess> startServices(Map<DmsService, Integer> preferredPorts) {
        return startServices(java.util.EnumSet.allOf(DmsService.class), preferredPorts);
    }

    /** Starts only {@code only} (tests that drive the control plane without workers, say). */
    public Map<DmsService, ServiceProcess> startServices(java.util.Set<DmsService> only, Map<DmsService, Integer> preferredPorts) {
        List<ServiceProcess> started = new ArrayList<>();
        try {
            ServiceProcess orchestrator = only.contains(DmsService.JOB_ORCHESTRATOR)
                    ? prepare(DmsService.JOB_ORCHESTRATOR, preferredPorts) : null;
            if (orchestrator != null) {
                started.add(orchestrator);
                timed(orchestrator.name(), orchestrator::start).run();
            }
            List<ServiceProcess> rest = new ArrayList<>();
            for (DmsService service : List.of(DmsService.JOB_API, DmsService.DUMP_WORKER, DmsService.CDC_WORKER)) {
                if (!only.contains(service)) {
                    continue;
                }
                ServiceProcess process = prepare(service, preferredPorts);
                if (process != null) {
                    started.add(process);
                    process.launch();
                    rest.add(process);
                }
            }
            long t0 = System.nanoTime();
            for (ServiceProcess process : rest) {
                process.awaitReady();
                LOG.info("{} ready on {} after {} ms", process.name(), process.url(), (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (RuntimeException e) {
            for (ServiceProcess process : started) {
                services.values().remove(process);
                stopQuietly(process::stop, e);
            }
            throw e;
        }
        return services();
    }

    /**
     * One more instance of a service (a second dump-worker, say), configured for this stack plus {@code extra}
     * properties, logging to {@code logs/<instanceName>.log}; not started. The stack stops it on close.
     */
    public ServiceProcess newService(DmsService service, String instanceName, Map<String, String> extra) {
        return newService(service, instanceName, extra, ServiceProcess.jvmOptions(instanceName));
    }

    /** As {@link #newService(DmsService, String, Map)}, run with these JVM options (a small heap, GC logs). */
    public ServiceProcess newService(DmsService service, String instanceName, Map<String, String> extra, List<String> jvmOptions) {
        Map<String, String> props = serviceProperties(service, FreePorts.pick());
        props.putAll(extra);
        ServiceProcess process = new ServiceProcess(instanceName, service.jar(repoRoot), props, layout.log(instanceName), jvmOptions);
        extraServices.add(process);
        return process;
    }

    /** The services started by {@link #startServices()}, in start order. */
    public Map<DmsService, ServiceProcess> services() {
        Map<DmsService, ServiceProcess> copy = new EnumMap<>(DmsService.class);
        synchronized (services) {
            copy.putAll(services);
        }
        return Collections.unmodifiableMap(copy);
    }

    public Optional<ServiceProcess> service(DmsService service) {
        return Optional.ofNullable(services.get(service));
    }

    public PgCluster control() {
        return control;
    }

    public PgCluster source() {
        return source;
    }

    public PgCluster destination() {
        return destination;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public StackLayout layout() {
        return layout;
    }

    public Path repoRoot() {
        return repoRoot;
    }

    /** How long {@link #start} took for the broker and the clusters. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Leaves everything running when this JVM exits (bin/dms-local up); {@link #close()} still stops it. */
    public void detach() {
        removeShutdownHook();
    }

    /** Stops the services (SIGTERM), then the broker and the clusters. Data stays in the work dir. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeShutdownHook();
        long t0 = System.nanoTime();
        List<Runnable> serviceStops = new ArrayList<>();
        services().values().forEach(s -> serviceStops.add(s::stop));
        synchronized (extraServices) {
            extraServices.forEach(s -> serviceStops.add(s::stop));
        }
        // Each step runs even if the one before failed: a half-closed stack would leave servers behind.
        RuntimeException failure = attempt(() -> inParallel(serviceStops), null);
        failure = attempt(() -> inParallel(List.of(kafka::stop, control::stop, source::stop, destination::stop)), failure);
        LOG.info("devstack stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Closes the stack, then deletes its data (the clusters' and the broker's folders, hundreds of MB each run) and
     * keeps its logs: for a test run, whose stack is not reused.
     */
    public void closeAndDeleteData() {
        close();
        for (Path data : List.of(layout.dir().resolve("pg"), layout.kafkaFolder())) {
            deleteRecursively(data);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete {}: {}", root, e.getMessage());
        }
    }

    private static RuntimeException attempt(Runnable step, RuntimeException earlier) {
        try {
            step.run();
            return earlier;
        } catch (RuntimeException e) {
            if (earlier == null) {
                return e;
            }
            earlier.addSuppressed(e);
            return earlier;
        }
    }

    private PgCluster cluster(String name) {
        return new PgCluster(name, layout.pgFolder(name)).logFile(layout.log(name)).stackDir(layout.dir());
    }

    private ServiceProcess prepare(DmsService service, Map<DmsService, Integer> preferredPorts) {
        synchronized (this) {
            if (closed) { // closed meanwhile (the shutdown hook, on Ctrl-C): do not leave a service behind
                throw new DevStackException("the stack was closed while its services were starting");
            }
        }
        if (!service.isBuilt(repoRoot)) {
            LOG.warn("{} skipped: {} is not built (mvn -B install -DskipTests)", service.moduleName(), service.jar(repoRoot));
            return null;
        }
        int port = FreePorts.pickPreferring(preferredPorts.getOrDefault(service, 0));
        ServiceProcess process = new ServiceProcess(service.moduleName(), service.jar(repoRoot),
                serviceProperties(service, port), layout.log(service.moduleName()));
        services.put(service, process);
        return process;
    }

    /**
     * Settings every instance of {@code service} started from now on runs with, on top of the stack's own (a test
     * stack tuned for small data, say).
     */
    public synchronized DevStack withSettings(DmsService service, Map<String, String> settings) {
        this.settings.computeIfAbsent(service, s -> new LinkedHashMap<>()).putAll(settings);
        return this;
    }

    /** Exactly the properties the services read (see each service's application.properties). */
    private synchronized Map<String, String> serviceProperties(DmsService service, int httpPort) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(ServiceProcess.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        props.put(ServiceProcess.HTTP_PORT, String.valueOf(httpPort));
        // A local test stack: the services may seal profile passwords with the public development key.
        props.put("dms.secret.allow-development-key", "true");
        if (service == DmsService.JOB_ORCHESTRATOR) {
            props.put("quarkus.datasource.jdbc.url", control.jdbcUrl(CONTROL_DATABASE));
            props.put("quarkus.datasource.username", PgCluster.USER);
            props.put("quarkus.datasource.password", PgCluster.PASSWORD);
        }
        props.putAll(settings.getOrDefault(service, Map.of()));
        return props;
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running (or ran) already
        }
    }

    private void closeQuietly(RuntimeException cause) {
        try {
            close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static void stopQuietly(Runnable stop, RuntimeException cause) {
        try {
            stop.run();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static Runnable timed(String what, Runnable task) {
        return () -> {
            long t0 = System.nanoTime();
            task.run();
            LOG.info("{} ready in {} ms", what, (System.nanoTime() - t0) / 1_000_000);
        };
    }

    /** Runs all tasks, each on its own thread; throws the first failure (others suppressed) after all ended. */
    static void inParallel(List<Runnable> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size(), r -> {
            Thread t = new Thread(r, "devstack-start");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            tasks.forEach(task -> futures.add(pool.submit(task)));
            RuntimeException failure = null;
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                            : new DevStackException(String.valueOf(e.getCause()), e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DevStackException("interrupted", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Our directories: other users (postgres) may enter them, so the clusters below can be reached. */
    private static void createOpenDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new DevStackException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }
}
