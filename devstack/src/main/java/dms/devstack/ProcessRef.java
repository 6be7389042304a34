package dms.devstack;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A process recorded by another JVM (bin/dms-local up wrote it, down and status read it). The start time
 * is kept with the pid so a pid reused by an unrelated process after a reboot is never signalled.
 */
public record ProcessRef(long pid, long startMillis) {
    private static final long START_TOLERANCE_MILLIS = 1000;

    public static ProcessRef of(ProcessHandle process) {
        return new ProcessRef(process.pid(),
                process.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    }

    /** Parses {@link #toString()}: {@code pid@startMillis}. */
    public static Optional<ProcessRef> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String[] parts = text.trim().split("@", 2);
        try {
            return Optional.of(new ProcessRef(Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : 0L));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The live process this refers to, if it is still the same process. */
    public Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::sameStart);
    }

    public boolean isAlive() {
        return handle().isPresent();
    }

    public void terminate(Duration grace) {
        handle().ifPresent(process -> Processes.terminate(process, grace));
    }

    public void kill() {
        handle().ifPresent(Processes::kill);
    }

    private boolean sameStart(ProcessHandle process) {
        if (startMillis == 0) {
            return true;
        }
        return process.info().startInstant()
                .map(start -> Math.abs(start.toEpochMilli() - startMillis) <= START_TOLERANCE_MILLIS)
                .orElse(true);
    }

    @Override
    public String toString() {
        return pid + "@" + startMillis;
    }
}
