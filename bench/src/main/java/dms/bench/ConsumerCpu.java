package dms.bench;

import dms.devstack.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU of a CDC consumer's processes during a timed phase, by role: the source's walsender of the database's slot,
 * the consumer's JVM (ours; none for native), and the destination's backends of the database (our apply sessions;
 * native's apply worker). Whole-machine figures move with whatever else runs on a shared 2-core machine; these
 * move with the pipeline only. Sampled every 200 ms from /proc/&lt;pid&gt;/stat (utime + stime): a process seen at
 * the first sample counts from there, one that appears later (a walsender started by the resume) from its start;
 * one that ends between samples loses at most its last 200 ms. Linux /proc only.
 *
 * <p>The JVM's CPU is also split by thread ({@code /proc/<pid>/task/<tid>/comm}, the first 15 characters of the
 * Java thread's name): Debezium's decoding thread, our engine thread (the embedded engine's poll, our decoding and
 * transaction assembly), our apply thread, the garbage collector, the JIT compilers, and the rest.
 */
final class ConsumerCpu implements AutoCloseable {

    private static final double TICKS_PER_SECOND = 100.0;
    private static final long INTERVAL_MS = 200;

    enum Role { WALSENDER, JVM, DESTINATION }

    private final String database;
    private final long jvmPid;
    private final Connection source;
    private final Connection destination;
    /** Per role and pid: ticks at first sight (0 when it appeared after the start) and at last sight. */
    private final Map<Role, Map<Long, long[]>> seen = new HashMap<>();
    /** The JVM's threads: tid to its kind and ticks at first and last sight, as for the processes. */
    private final Map<Long, ThreadTicks> threads = new HashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;
    private boolean first = true;

    /** Starts sampling; {@code jvmPid} -1 when the consumer has no JVM (native). */
    ConsumerCpu(PgCluster src, PgCluster dst, String database, long jvmPid) throws SQLException {
        this.database = database;
        this.jvmPid = jvmPid;
        this.source = src.connect("postgres");
        this.destination = dst.connect("postgres");
        for (Role r : Role.values()) {
            seen.put(r, new HashMap<>());
        }
        sample();
        first = false;
        sampler = new Thread(this::loop, "consumer-cpu-" + database);
        sampler.setDaemon(true);
        sampler.start();
    }

    private void loop() {
        while (running) {
            JobDriver.pause(INTERVAL_MS);
            if (running) {
                sample();
            }
        }
    }

    private synchronized void sample() {
        try {
            record(Role.WALSENDER, pids(source, "SELECT active_pid FROM pg_replication_slots WHERE database = ? AND active_pid IS NOT NULL"));
            record(Role.DESTINATION, pids(destination, "SELECT pid FROM pg_stat_activity WHERE datname = ?"));
            if (jvmPid > 0) {
                record(Role.JVM, List.of(jvmPid));
                recordThreads();
            }
        } catch (SQLException e) {
            // a missed sample costs precision only
        }
    }

    private List<Long> pids(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, database);
            List<Long> pids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getLong(1));
                }
            }
            return pids;
        }
    }

    private void record(Role role, List<Long> pids) {
        for (long pid : pids) {
            long ticks = ticks(pid);
            if (ticks < 0) {
                continue;
            }
            long[] range = seen.get(role).computeIfAbsent(pid, p -> new long[] {first ? ticks : 0, ticks});
            range[1] = Math.max(range[1], ticks);
        }
    }

    private void recordThreads() {
        Path tasks = Path.of("/proc", Long.toString(jvmPid), "task");
        try (var tids = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) tids::iterator) {
                long ticks = ticks(task.resolve("stat"));
                if (ticks < 0) {
                    continue;
                }
                long tid = Long.parseLong(task.getFileName().toString());
                ThreadTicks t = threads.computeIfAbsent(tid, k -> new ThreadTicks(ThreadKind.of(comm(task)), first ? ticks : 0));
                t.last = Math.max(t.last, ticks);
            }
        } catch (IOException | RuntimeException e) {
            // the JVM is gone, or a thread ended while listed: precision only
        }
    }

    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** What a JVM thread does, from its name's first 15 characters. */
    enum ThreadKind {
        DEBEZIUM, ENGINE, APPLY, GC, JIT, OTHER;

        static ThreadKind of(String comm) {
            if (comm.startsWith("debezium-")) {
                return DEBEZIUM; // the connector's change-event-source-coordinator: pgoutput decoding, building records
            } else if (comm.startsWith("dms-cdc-apply")) {
                return APPLY;
            } else if (comm.startsWith("pool-") || comm.startsWith("dms-cdc-") && !comm.startsWith("dms-cdc-lag")
                    && !comm.startsWith("dms-cdc-contro")) {
                return ENGINE; // the embedded engine's (unnamed) pools run its poll and our consumer: decoding, assembly
            } else if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("VM Thread")) {
                return GC;
            } else if (comm.contains("CompilerThre")) {
                return JIT;
            }
            return OTHER;
        }
    }

    private static final class ThreadTicks {
        final ThreadKind kind;
        final long firstTicks;
        long last;

        ThreadTicks(ThreadKind kind, long firstTicks) {
            this.kind = kind;
            this.firstTicks = firstTicks;
            this.last = firstTicks;
        }
    }

    /** utime + stime of a process, in ticks; -1 when it is gone. */
    private static long ticks(long pid) {
        return ticks(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** utime + stime from a stat file (a process's or a thread's), in ticks; -1 when it is gone. */
    private static long ticks(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Stops sampling (after a last sample): µs of CPU per change by role, and their total. */
    synchronized Map<String, Object> stop(long changes) {
        running = false;
        sample();
        Map<String, Object> m = new LinkedHashMap<>();
        double total = 0;
        for (Role r : Role.values()) {
            long ticks = seen.get(r).values().stream().mapToLong(range -> range[1] - range[0]).sum();
            double micros = ticks / TICKS_PER_SECOND * 1e6 / changes;
            total += micros;
            m.put(r.name().toLowerCase(), Stats.round(micros));
        }
        m.put("total", Stats.round(total));
        if (jvmPid > 0) {
            Map<String, Object> byThread = new LinkedHashMap<>();
            for (ThreadKind k : ThreadKind.values()) {
                long ticks = threads.values().stream().filter(t -> t.kind == k).mapToLong(t -> t.last - t.firstTicks).sum();
                byThread.put(k.name().toLowerCase(), Stats.round(ticks / TICKS_PER_SECOND * 1e6 / changes));
            }
            m.put("jvmByThread", byThread);
        }
        return m;
    }

    @Override
    public void close() {
        running = false;
        try {
            sampler.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c : List.of(source, destination)) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing
            }
        }
    }
}
