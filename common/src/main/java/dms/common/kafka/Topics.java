package dms.common.kafka;

import java.util.List;
import java.util.Map;

/**
 * The topics of the system, under a configurable prefix ({@code dms.} by default).
 * Compacted topics hold the latest value per key and are read from the beginning to
 * rebuild state; the others are streams.
 */
public final class Topics {

    public static final String DEFAULT_PREFIX = "dms.";

    /** A topic's name (without prefix), partition count and cleanup policy. */
    public record Spec(String suffix, int partitions, boolean compacted, Map<String, String> extraConfig) {}

    public static final Spec COMMANDS = new Spec("commands", 3, false, Map.of());
    public static final Spec COMMANDS_DLQ = new Spec("commands.dlq", 1, false, Map.of());
    public static final Spec JOB_STATE = new Spec("job-state", 3, true, Map.of());
    /** The audit trail: kept forever. */
    public static final Spec JOB_EVENTS = new Spec("job-events", 3, false, Map.of("retention.ms", "-1"));
    public static final Spec OPERATIONS = new Spec("operations", 3, true, Map.of());
    public static final Spec PROFILES = new Spec("connection-profiles", 1, true, Map.of());
    public static final Spec PROGRESS = new Spec("progress", 3, false, Map.of());
    public static final Spec DUMP_TASKS = new Spec("dump-tasks", 6, false, Map.of());
    public static final Spec CDC_CONTROL = new Spec("cdc-control", 6, true, Map.of());
    /** What the dump-workers may do for each job (read whole by every dump-worker). */
    public static final Spec DUMP_CONTROL = new Spec("dump-control", 3, true, Map.of());

    public static final List<Spec> ALL = List.of(COMMANDS, COMMANDS_DLQ, JOB_STATE, JOB_EVENTS, OPERATIONS,
            PROFILES, PROGRESS, DUMP_TASKS, CDC_CONTROL, DUMP_CONTROL);

    private final String prefix;

    public Topics(String prefix) {
        this.prefix = prefix == null ? DEFAULT_PREFIX : prefix;
    }

    public String name(Spec spec) {
        return prefix + spec.suffix();
    }

    public String commands() { return name(COMMANDS); }
    public String commandsDlq() { return name(COMMANDS_DLQ); }
    public String jobState() { return name(JOB_STATE); }
    public String jobEvents() { return name(JOB_EVENTS); }
    public String operations() { return name(OPERATIONS); }
    public String profiles() { return name(PROFILES); }
    public String progress() { return name(PROGRESS); }
    public String dumpTasks() { return name(DUMP_TASKS); }
    public String cdcControl() { return name(CDC_CONTROL); }
    public String dumpControl() { return name(DUMP_CONTROL); }
}
