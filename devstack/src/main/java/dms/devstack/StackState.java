package dms.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code state.properties}: what {@code up} started (pids with their start time, ports), so that {@code down}
 * and {@code status}, run by another JVM later, act on exactly those processes. The clusters need no pid here:
 * their data directory says (postmaster.pid), and pg_ctl stops them.
 */
final class StackState {
    private final Properties props = new Properties();

    static StackState load(StackLayout layout) {
        StackState state = new StackState();
        Path file = layout.stateFile();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                state.props.load(in);
            } catch (IOException e) {
                throw new DevStackException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return state;
    }

    void save(StackLayout layout) {
        try (OutputStream out = Files.newOutputStream(layout.stateFile())) {
            props.store(out, "dms-local: processes and ports of the stack (written by bin/dms-local up/down)");
        } catch (IOException e) {
            throw new DevStackException("cannot write " + layout.stateFile() + ": " + e.getMessage(), e);
        }
    }

    void recordInfrastructure(DevStack stack) {
        props.setProperty("repo.root", stack.repoRoot().toString());
        props.setProperty("started", Instant.now().toString());
        props.setProperty("kafka.port", String.valueOf(stack.kafka().port()));
        stack.kafka().process().ifPresent(ref -> props.setProperty("kafka.pid", ref.toString()));
        for (PgCluster cluster : new PgCluster[] {stack.control(), stack.source(), stack.destination()}) {
            props.setProperty("pg." + cluster.name() + ".port", String.valueOf(cluster.port()));
        }
    }

    void recordServices(Map<DmsService, ServiceProcess> started) {
        for (DmsService service : DmsService.values()) {
            String prefix = "service." + service.moduleName();
            ServiceProcess process = started.get(service);
            if (process == null) {
                props.setProperty(prefix + ".skipped", "true");
                props.remove(prefix + ".pid");
                continue;
            }
            props.remove(prefix + ".skipped");
            props.setProperty(prefix + ".port", String.valueOf(process.httpPort()));
            process.processRef().ifPresent(ref -> props.setProperty(prefix + ".pid", ref.toString()));
        }
    }

    /** After down: the ports stay, so the next up prefers them and the URLs stay the same. */
    void clearProcesses() {
        props.stringPropertyNames().stream().filter(k -> k.endsWith(".pid") || k.endsWith(".skipped")).forEach(props::remove);
        props.setProperty("stopped", Instant.now().toString());
    }

    boolean recordsProcesses() {
        return props.stringPropertyNames().stream().anyMatch(k -> k.endsWith(".pid"));
    }

    Optional<ProcessRef> kafkaProcess() {
        return ProcessRef.parse(props.getProperty("kafka.pid"));
    }

    int kafkaPort() {
        return intValue("kafka.port");
    }

    Optional<ProcessRef> serviceProcess(DmsService service) {
        return ProcessRef.parse(props.getProperty("service." + service.moduleName() + ".pid"));
    }

    int servicePort(DmsService service) {
        return intValue("service." + service.moduleName() + ".port");
    }

    boolean skipped(DmsService service) {
        return Boolean.parseBoolean(props.getProperty("service." + service.moduleName() + ".skipped"));
    }

    private int intValue(String key) {
        try {
            return Integer.parseInt(props.getProperty(key, "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static boolean exists(StackLayout layout) {
        return Files.isRegularFile(layout.stateFile());
    }
}
