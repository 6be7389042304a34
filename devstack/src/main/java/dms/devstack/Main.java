package dms.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The launcher behind bin/dms-local: {@code up | down | status [--dir D]}. {@code up} leaves the stack running
 * after this JVM exits (the broker and the services in their own sessions, PostgreSQL daemonized by pg_ctl)
 * and records it in {@code D/state.properties}; {@code down} and {@code status} read that record.
 */
public final class Main {
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final String[] CLUSTERS = {DevStack.CONTROL, DevStack.SOURCE, DevStack.DESTINATION};

    private Main() {
    }

    public static void main(String[] args) {
        quietLogging();
        int code;
        try {
            code = run(args);
        } catch (DevStackException | IllegalArgumentException e) {
            System.err.println("dms-local: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    static int run(String[] args) {
        String command = null;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--dir") && i + 1 < args.length) {
                dir = Path.of(args[++i]);
            } else if (command == null && !args[i].startsWith("-")) {
                command = args[i];
            } else {
                return usage("unexpected argument " + args[i]);
            }
        }
        if (command == null) {
            return usage("no command");
        }
        Path root = RepoRoot.find();
        StackLayout layout = new StackLayout(dir != null ? dir : root.resolve(".dms-local"));
        switch (command) {
            case "up":
                return up(layout, root);
            case "down":
                return down(layout);
            case "status":
                return status(layout);
            default:
                return usage("unknown command " + command);
        }
    }

    private static int up(StackLayout layout, Path root) {
        StackState previous = StackState.load(layout);
        List<String> alive = aliveComponents(layout, previous);
        if (previous.recordsProcesses() && alive.size() == expectedComponents(previous)) {
            System.out.println("dms-local is already up in " + layout.dir() + " (env: " + layout.envFile() + ")");
            return 0;
        }
        if (!alive.isEmpty()) {
            // e.g. a service crashed, or an earlier up was killed: start again from a clean slate (data is kept)
            System.out.println("dms-local is partly up (" + String.join(", ", alive) + " alive): stopping it first");
            stopAll(layout, previous);
        }
        System.out.println("starting Kafka and PostgreSQL (control, source, destination) in " + layout.dir() + " ...");
        DevStack stack = DevStack.start(layout.dir(), root);
        StackState state = StackState.load(layout);
        try {
            state.recordInfrastructure(stack);
            state.save(layout);
            System.out.printf("infrastructure up in %.1f s; starting the services ...%n", stack.startupTime().toMillis() / 1000.0);
            Map<DmsService, Integer> ports = new EnumMap<>(DmsService.class);
            for (DmsService service : DmsService.values()) {
                ports.put(service, previous.servicePort(service));
            }
            stack.startServices(ports);
            state.recordServices(stack.services());
            state.save(layout);
            EnvFile.write(layout, stack);
            stack.detach();
        } catch (RuntimeException e) {
            stack.close();
            state.clearProcesses();
            state.save(layout);
            throw e;
        }
        System.out.println("dms-local is up. Endpoints: source " + layout.envFile());
        return status(layout);
    }

    private static int down(StackLayout layout) {
        StackState state = StackState.load(layout);
        boolean wasUp = !aliveComponents(layout, state).isEmpty();
        stopAll(layout, state);
        if (StackState.exists(layout)) {
            state.clearProcesses();
            state.save(layout);
        }
        EnvFile.delete(layout);
        System.out.println(wasUp ? "dms-local is down (data kept in " + layout.dir() + ")" : "dms-local was not running");
        return 0;
    }

    /** Services first (they use the rest), then the broker and the clusters; everything in parallel within a step. */
    private static void stopAll(StackLayout layout, StackState state) {
        List<Runnable> services = new ArrayList<>();
        for (DmsService service : DmsService.values()) {
            state.serviceProcess(service).ifPresent(ref -> services.add(() -> ref.terminate(STOP_GRACE)));
        }
        DevStack.inParallel(services);
        List<Runnable> infrastructure = new ArrayList<>();
        state.kafkaProcess().ifPresent(ref -> infrastructure.add(() -> ref.terminate(STOP_GRACE)));
        for (String name : CLUSTERS) {
            if (Files.isDirectory(layout.pgFolder(name))) {
                infrastructure.add(() -> cluster(layout, name).stop());
            }
        }
        DevStack.inParallel(infrastructure);
    }

    private static int status(StackLayout layout) {
        if (!StackState.exists(layout)) {
            System.out.println("dms-local is not up: no " + layout.stateFile() + " (run bin/dms-local up)");
            return 1;
        }
        StackState state = StackState.load(layout);
        if (!state.recordsProcesses() && aliveComponents(layout, state).isEmpty()) {
            System.out.println("dms-local is down (data in " + layout.dir() + "; run bin/dms-local up)");
            return 1;
        }
        boolean allReady = true;
        System.out.printf("dms-local in %s%n%-18s %-8s %-6s %s%n", layout.dir(), "COMPONENT", "PID", "PORT", "STATE");
        for (String name : CLUSTERS) {
            PgCluster cluster = cluster(layout, name);
            Optional<Long> pid = cluster.postmasterPid();
            boolean ready = cluster.isReady();
            allReady &= ready;
            row(name, pid.map(String::valueOf).orElse("-"), cluster.port(), ready ? "ready" : pid.isPresent() ? "alive, not answering" : "down");
        }
        Optional<ProcessHandle> kafka = state.kafkaProcess().flatMap(ProcessRef::handle);
        boolean kafkaReady = kafka.isPresent() && KafkaBroker.serves("127.0.0.1:" + state.kafkaPort(), Duration.ofSeconds(5));
        allReady &= kafkaReady;
        row("kafka", kafka.map(p -> String.valueOf(p.pid())).orElse("-"), state.kafkaPort(),
                kafkaReady ? "ready" : kafka.isPresent() ? "alive, not answering" : "down");
        for (DmsService service : DmsService.values()) {
            if (state.skipped(service)) {
                row(service.moduleName(), "-", 0, "skipped (not built)");
                continue;
            }
            Optional<ProcessHandle> process = state.serviceProcess(service).flatMap(ProcessRef::handle);
            boolean ready = process.isPresent() && HealthProbe.isReady(state.servicePort(service));
            allReady &= ready;
            row(service.moduleName(), process.map(p -> String.valueOf(p.pid())).orElse("-"), state.servicePort(service),
                    ready ? "ready" : process.isPresent() ? "alive, not ready" : "down");
        }
        if (Files.isRegularFile(layout.envFile())) {
            System.out.println("endpoints: source " + layout.envFile() + "; logs: " + layout.logs());
        }
        return allReady ? 0 : 1;
    }

    /** The components of the record that are still alive (the same processes, not reused pids). */
    private static List<String> aliveComponents(StackLayout layout, StackState state) {
        List<String> alive = new ArrayList<>();
        for (String name : CLUSTERS) {
            if (Files.isDirectory(layout.pgFolder(name)) && cluster(layout, name).isRunning()) {
                alive.add(name);
            }
        }
        if (state.kafkaProcess().map(ProcessRef::isAlive).orElse(false)) {
            alive.add("kafka");
        }
        for (DmsService service : DmsService.values()) {
            if (state.serviceProcess(service).map(ProcessRef::isAlive).orElse(false)) {
                alive.add(service.moduleName());
            }
        }
        return alive;
    }

    private static int expectedComponents(StackState state) {
        int count = CLUSTERS.length + 1;
        for (DmsService service : DmsService.values()) {
            if (!state.skipped(service)) {
                count++;
            }
        }
        return count;
    }

    private static PgCluster cluster(StackLayout layout, String name) {
        return new PgCluster(name, layout.pgFolder(name)).logFile(layout.log(name));
    }

    private static void row(String component, String pid, int port, String state) {
        System.out.printf("%-18s %-8s %-6s %s%n", component, pid, port > 0 ? String.valueOf(port) : "-", state);
    }

    private static int usage(String problem) {
        System.err.println("dms-local: " + problem + "\nusage: dms.devstack.Main up|down|status [--dir DIR]");
        return 2;
    }

    /** The launcher's own output is the point; the clients' INFO chatter (Kafka config dumps) is not. */
    private static void quietLogging() {
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setDefault("org.slf4j.simpleLogger.log.dms.devstack", "info");
        setDefault("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
