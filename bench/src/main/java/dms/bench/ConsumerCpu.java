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

    /** utime + stime of a process, in ticks; -1 when it is gone. */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
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
