package dms.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Quarkus service run as a real process from its fast-jar ({@code target/quarkus-app/quarkus-run.jar}),
 * configured by system properties, with stdout and stderr appended to a log file. Being a real process, it can
 * be killed and restarted like a pod, which is what the fault tests need.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);

    public static final String HTTP_PORT = "quarkus.http.port";
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    /** A service is up in 5-20 s; a machine shared by several test runs (load 15-20 on 2 cores) has taken over 60 s. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final String name;
    private final Path jar;
    /** Replaced only when the HTTP port was taken by another process while the service was down ({@link #launch}). */
    private volatile Map<String, String> properties;
    private final Path logFile;
    private final List<String> jvmOptions;
    private Process process;

    /**
     * {@code properties} must hold {@value #BOOTSTRAP_SERVERS}; {@value #HTTP_PORT} is added (a free port) when
     * absent. The process runs in the log file's directory, so relative paths stay out of the checkout.
     */
    public ServiceProcess(String name, Path jar, Map<String, String> properties, Path logFile) {
        this(name, jar, properties, logFile, jvmOptions(name));
    }

    /** With these JVM options instead of the service's own ({@link #jvmOptions(String)}): a smaller heap, GC logs. */
    public ServiceProcess(String name, Path jar, Map<String, String> properties, Path logFile, List<String> jvmOptions) {
        if (!properties.containsKey(BOOTSTRAP_SERVERS)) {
            throw new IllegalArgumentException(name + ": the properties must include " + BOOTSTRAP_SERVERS);
        }
        Map<String, String> all = new LinkedHashMap<>(properties);
        all.computeIfAbsent(HTTP_PORT, key -> String.valueOf(FreePorts.pick()));
        this.name = name;
        this.jar = jar.toAbsolutePath().normalize();
        this.properties = Collections.unmodifiableMap(all);
        this.logFile = logFile.toAbsolutePath().normalize();
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Starts it and waits until /q/health/ready answers 200 (120 s at most). */
    public synchronized ServiceProcess start() {
        launch();
        awaitReady();
        return this;
    }

    /** SIGTERM (Quarkus shuts down gracefully), SIGKILL after 20 s. */
    public synchronized void stop() {
        if (process != null) {
            Processes.terminate(process, STOP_GRACE);
        }
    }

    /** SIGKILL: no shutdown hooks run, as when a pod or a machine dies. */
    public synchronized void kill() {
        if (process != null) {
            Processes.kill(process);
        }
    }

    /** Stop (if alive) and start again with the same properties, hence the same port (unless it was taken meanwhile: see {@link #launch}). */
    public synchronized void restart() {
        stop();
        start();
    }

    /** The pid of the current (or last) process; -1 before the first start. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public boolean isReady() {
        return isAlive() && HealthProbe.isReady(httpPort());
    }

    public Optional<ProcessRef> processRef() {
        return isAlive() ? Optional.of(ProcessRef.of(process.toHandle())) : Optional.empty();
    }

    public String name() {
        return name;
    }

    public int httpPort() {
        return Integer.parseInt(properties.get(HTTP_PORT));
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + httpPort();
    }

    public Map<String, String> properties() {
        return properties;
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        stop();
    }

    /** Starts the process without waiting, so several services can boot at the same time. */
    synchronized void launch() {
        if (isAlive()) {
            throw new DevStackException(name + " already runs (pid " + process.pid() + ")");
        }
        if (!Files.isRegularFile(jar)) {
            throw new DevStackException(name + ": " + jar + " is missing: run mvn -B install -DskipTests first");
        }
        if (!FreePorts.isFree(httpPort())) {
            // Its port was free when picked; while the service was down another process may have taken it (any
            // client socket's ephemeral port): a service started again there would exit. url() gives the new one.
            Map<String, String> moved = new LinkedHashMap<>(properties);
            moved.put(HTTP_PORT, String.valueOf(FreePorts.pick()));
            LOG.info("{}: port {} is taken by another process now, starting on {}", name, httpPort(), moved.get(HTTP_PORT));
            properties = Collections.unmodifiableMap(moved);
        }
        List<String> command = new ArrayList<>(List.of(Processes.javaBinary()));
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        process = Processes.startDetached(command, logFile.getParent(), logFile);
    }

    /**
     * The cdc-worker is a throughput workload that allocates a few hundred MB/s (Debezium's records): with the
     * parallel collector and room for a bigger young generation it applied a backlog 1.4x as fast as with G1 in
     * 384 MB (bench/README.md). The control-plane services stay small. A name like cdc-worker-2 counts too.
     */
    static List<String> jvmOptions(String serviceName) {
        return serviceName.startsWith("cdc-worker") ? List.of("-Xmx1g", "-XX:+UseParallelGC") : List.of("-Xmx384m");
    }

    /** Waits for readiness; on a timeout (the process is then killed) or an early exit, throws with its log. */
    void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw failure(name + " exited with code " + process.exitValue() + " while starting");
            }
            if (HealthProbe.isReady(httpPort())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                Processes.kill(process);
                throw failure(name + " was not ready on " + url() + "/q/health/ready after "
                        + READY_TIMEOUT.toSeconds() + " s (killed)");
            }
            Processes.sleep(Duration.ofMillis(250));
        }
    }

    private DevStackException failure(String message) {
        return new DevStackException(message + "; log: " + logFile + "\n" + LogTail.lastLines(logFile, 40));
    }

    @Override
    public String toString() {
        return name + " (" + url() + ", pid " + pid() + ")";
    }
}
