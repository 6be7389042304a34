package dms.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka broker (broker and controller in one JVM) run as its own process from the jars
 * that devstack/kafka-libs collects, isolated from the kafka-clients version on our class path.
 * The folder holds {@code server.properties}, {@code log4j2.properties} and {@code data/}; a restart keeps the
 * data, and the ports when they are still free.
 */
public final class KafkaBroker implements AutoCloseable {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Path folder;
    private final Path libDir;
    private final Path dataDir;
    private Path logDir;
    private int port;
    private int controllerPort;
    private Process process;

    public KafkaBroker(Path folder, Path libDir) {
        this.folder = folder.toAbsolutePath().normalize();
        this.libDir = libDir.toAbsolutePath().normalize();
        this.dataDir = this.folder.resolve("data");
        this.logDir = this.folder;
        readConfiguredPorts();
    }

    /** Where {@code kafka.log} (the broker's log4j log) and {@code kafka.out} (its stdout) go; defaults to the folder. */
    public KafkaBroker logDir(Path dir) {
        this.logDir = dir.toAbsolutePath().normalize();
        return this;
    }

    /** Starts the broker (formatting the data dir the first time) and waits until it serves metadata. */
    public synchronized KafkaBroker start() {
        return start(false);
    }

    /** SIGTERM (a controlled shutdown), SIGKILL after 20 s. Data is kept. */
    public synchronized void stop() {
        if (process != null) {
            Processes.terminate(process, STOP_GRACE);
        }
    }

    /** SIGKILL, as in a crash. */
    public synchronized void kill() {
        if (process != null) {
            Processes.kill(process);
        }
    }

    /** Stop (if alive) and start again on the same ports, with the same data. */
    public synchronized void restart() {
        stop();
        startAgain();
    }

    /**
     * Starts a stopped (or killed) broker again on the ports it had, with its data: the end of an outage, as
     * the clients see it (their bootstrap address serves again). Fails if one of its ports was taken meanwhile.
     */
    public synchronized KafkaBroker startAgain() {
        return start(true);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Optional<ProcessRef> process() {
        return isAlive() ? Optional.of(ProcessRef.of(process.toHandle())) : Optional.empty();
    }

    public Path folder() {
        return folder;
    }

    /** The broker's own log (log4j, INFO). Its stdout and stderr, e.g. a JVM crash, go to {@code kafka.out}. */
    public Path logFile() {
        return logDir.resolve("kafka.log");
    }

    public Path outFile() {
        return logDir.resolve("kafka.out");
    }

    @Override
    public void close() {
        stop();
    }

    private KafkaBroker start(boolean samePorts) {
        if (isAlive()) {
            throw new DevStackException("the Kafka broker already runs (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logDir);
            choosePorts(samePorts);
            writeServerProperties();
            writeLog4jConfig();
            if (!Files.isRegularFile(dataDir.resolve("meta.properties"))) {
                format();
            }
        } catch (IOException e) {
            throw new DevStackException("cannot prepare the Kafka broker in " + folder + ": " + e.getMessage(), e);
        }
        List<String> command = new ArrayList<>(List.of(Processes.javaBinary(), "-Xmx512m", "-Xms128m",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + folder.resolve("log4j2.properties"),
                "-Dkafka.logs.dir=" + logDir,
                "-cp", libDir + "/*", "kafka.Kafka", folder.resolve("server.properties").toString()));
        process = Processes.startDetached(command, folder, outFile());
        awaitReady();
        return this;
    }

    /** Kafka 4 refuses to start on an unformatted log dir: write its cluster id and metadata version once. */
    private void format() {
        Exec.run(List.of(Processes.javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                        "-Dlog4j2.configurationFile=" + folder.resolve("log4j2.properties"),
                        "-cp", libDir + "/*", "kafka.tools.StorageTool", "format", "--ignore-formatted",
                        "-t", Uuid.randomUuid().toString(), "-c", folder.resolve("server.properties").toString()),
                folder, Duration.ofSeconds(60));
    }

    private void choosePorts(boolean samePorts) {
        if (samePorts) {
            for (int p : new int[] {port, controllerPort}) {
                if (!FreePorts.isFree(p)) {
                    throw new DevStackException("cannot restart the Kafka broker: its port " + p + " is taken");
                }
            }
            return;
        }
        port = FreePorts.pickPreferring(port);
        controllerPort = FreePorts.pickPreferring(controllerPort);
        while (controllerPort == port) {
            controllerPort = FreePorts.pick();
        }
    }

    private void writeServerProperties() throws IOException {
        // A static voter set (controller.quorum.voters): unlike a dynamic quorum it is not stored in the
        // metadata log, so the controller port may change between two starts of the same data dir.
        String config = String.join("\n",
                "# Written by devstack (KafkaBroker) at every start: edits are lost.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // After a SIGKILL the restarted controller still holds the dead broker's session and refuses the
                // new registration (DUPLICATE_BROKER_REGISTRATION) until it expires: 9 s by default, 3 s here.
                "broker.session.timeout.ms=3000",
                "broker.heartbeat.interval.ms=500",
                // Topics are created on purpose by the services, with their cleanup policy: a typo must fail.
                "auto.create.topics.enable=false",
                "num.partitions=1",
                "log.dirs=" + dataDir,
                "");
        Files.writeString(folder.resolve("server.properties"), config);
    }

    private void writeLog4jConfig() throws IOException {
        String config = String.join("\n",
                "# Written by devstack (KafkaBroker): the broker logs to a file at INFO, not to stdout.",
                "status = warn",
                // the broker stops on SIGTERM by itself; log4j's own hook only adds noise about a JVM shutting down
                "shutdownHook = disable",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = " + logFile(),
                "appender.file.append = true",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = info",
                "rootLogger.appenderRef.file.ref = file",
                "logger.request.name = kafka.request.logger",
                "logger.request.level = warn",
                "");
        Files.writeString(folder.resolve("log4j2.properties"), config);
    }

    /** Whether a broker at {@code bootstrapServers} answers describeCluster with at least one node within {@code timeout}. */
    public static boolean serves(String bootstrapServers, Duration timeout) {
        try (Admin admin = Admin.create(adminProperties(bootstrapServers, timeout))) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static Properties adminProperties(String bootstrapServers, Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "devstack-ready-check");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        return props;
    }

    /** Ready = an AdminClient gets the broker in describeCluster: the broker registered and is unfenced. */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!acceptsConnections()) {
            checkAliveAndTime(deadline, null);
            Processes.sleep(Duration.ofMillis(100));
        }
        Exception last = null;
        try (Admin admin = Admin.create(adminProperties(bootstrapServers(), Duration.ofSeconds(3)))) {
            while (true) {
                checkAliveAndTime(deadline, last);
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000))
                            .nodes().get(4, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DevStackException("interrupted while waiting for the Kafka broker", e);
                } catch (Exception e) {
                    last = e;
                }
                Processes.sleep(Duration.ofMillis(200));
            }
        }
    }

    private void checkAliveAndTime(long deadline, Exception last) {
        if (!process.isAlive()) {
            throw failure("the Kafka broker exited with code " + process.exitValue() + " while starting");
        }
        if (System.nanoTime() > deadline) {
            Processes.terminate(process, Duration.ofSeconds(5));
            throw failure("the Kafka broker was not ready after " + READY_TIMEOUT.toSeconds() + " s"
                    + (last == null ? "" : " (last error: " + last + ")"));
        }
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(FreePorts.LOOPBACK, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private DevStackException failure(String message) {
        return new DevStackException(message + "; see the broker log " + logFile() + " and " + outFile() + "\n"
                + LogTail.lastLines(logFile(), 30) + "\n" + LogTail.lastLines(outFile(), 10));
    }

    /** The ports of the previous start (server.properties), preferred again so the stack keeps its URLs. */
    private void readConfiguredPorts() {
        Path file = folder.resolve("server.properties");
        if (!Files.isRegularFile(file)) {
            return;
        }
        Properties previous = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            previous.load(in);
        } catch (IOException e) {
            return;
        }
        port = portOf(previous.getProperty("advertised.listeners", ""));
        String voters = previous.getProperty("controller.quorum.voters", "");
        controllerPort = portOf(voters);
    }

    private static int portOf(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        try {
            return colon < 0 ? 0 : Integer.parseInt(endpoint.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return "Kafka broker on " + bootstrapServers() + " (" + folder + ")";
    }
}
