package dms.bench;

import dms.devstack.DevStack;
import dms.devstack.PgCluster;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dms.bench.FullDumpDataset.DB;
import static dms.bench.FullDumpFormat.quote;
import static dms.bench.FullDumpFormat.round1;
import static dms.bench.FullDumpFormat.round2;
import static dms.bench.FullDumpFormat.shellQuote;

/**
 * The anchors ours is measured against, each into a fresh destination database and verified: pgcopydb, pg_dump +
 * pg_restore, and the limit (what two cores do with PostgreSQL's own tools).
 */
final class AnchorTools {

    private final DevStack stack;
    private final FullDumpOptions options;
    private final FullDumpDataset dataset;
    private final ToolProcesses processes;
    private final DestinationPhases phases;
    private final Path workDir;

    AnchorTools(DevStack stack, FullDumpOptions options, FullDumpDataset dataset, ToolProcesses processes,
                DestinationPhases phases, Path workDir) {
        this.stack = stack;
        this.options = options;
        this.dataset = dataset;
        this.processes = processes;
        this.phases = phases;
        this.workDir = workDir;
    }

    /** pgcopydb clone --table-jobs 2 --index-jobs 2 into an empty database. */
    Map<String, Object> runPgcopydb(int rep) throws Exception {
        dataset.freshDestination(true);
        Path dir = processes.runDir("pgcopydb-" + rep);
        List<String> cmd = new ArrayList<>(List.of("pgcopydb", "clone",
                "--source", stack.source().libpqUrl(DB), "--target", stack.destination().libpqUrl(DB),
                "--table-jobs", "2", "--index-jobs", "2", "--dir", dir.resolve("work").toString()));
        cmd.addAll(options.pgcopydbFlags());
        Timed run = new Timed(workDir);
        processes.exec(cmd, dir.resolve("pgcopydb.log"));
        run.end(workDir);
        Map<String, Object> r = result("pgcopydb", rep, run);
        r.put("command", String.join(" ", cmd).replace(PgCluster.PASSWORD + "@", "***@"));
        measuredAndVerified(r, run, rep);
        return r;
    }

    /** pg_dump -Fd -j 2, then pg_restore -j 2 into an empty database. */
    Map<String, Object> runPgDump(int rep) throws Exception {
        dataset.freshDestination(true);
        Path dir = processes.runDir("pgdump-" + rep);
        Path dump = dir.resolve("dump");
        Timed run = new Timed(workDir);
        long t0 = run.t0;
        processes.exec(List.of(processes.bin("pg_dump"), "-Fd", "-j", "2", "-f", dump.toString(), "-d", stack.source().libpqUrl(DB)),
                dir.resolve("pg_dump.log"));
        long t1 = System.nanoTime();
        processes.exec(List.of(processes.bin("pg_restore"), "-j", "2", "-d", stack.destination().libpqUrl(DB), dump.toString()),
                dir.resolve("pg_restore.log"));
        long t2 = run.end(workDir);
        Map<String, Object> r = result("pgdump", rep, run);
        r.put("dumpSeconds", round2((t1 - t0) / 1e9));
        r.put("restoreSeconds", round2((t2 - t1) / 1e9));
        r.put("dumpMB", round1(ToolProcesses.treeSize(dump) / 1e6));
        r.put("command", "pg_dump -Fd -j 2 -f DIR bench; pg_restore -j 2 -d TARGET DIR (default compression: gzip)");
        RunInfo.deleteTree(dump);
        measuredAndVerified(r, run, rep);
        return r;
    }

    /**
     * The practical limit: pre-data, then two parallel binary COPY pipelines (psql to psql), then post-data with
     * pg_restore -j 2. Each stream takes one half of each big table by primary key; stream 2 also the small ones.
     */
    Map<String, Object> runLimit(int rep) throws Exception {
        dataset.freshDestination(true);
        Path dir = processes.runDir("limit-" + rep);
        String src = stack.source().libpqUrl(DB);
        String dst = stack.destination().libpqUrl(DB);
        List<List<String>> streams = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<String>> streamTables = List.of(new ArrayList<>(), new ArrayList<>());
        if (options.limitSplit()) {
            // Each big table halved by primary key over the two streams (each half reads the whole table on the source).
            for (FullDumpDataset.Table t : dataset.tables()) {
                if (t.rows() >= 100_000 && t.key().size() == 1) {
                    String key = quote(t.key().get(0));
                    long mid = Long.parseLong(stack.source().queryForString(DB,
                            "SELECT (min(" + key + ")::numeric + (max(" + key + ")::numeric - min(" + key + ")::numeric + 1) / 2)::bigint FROM public." + quote(t.name())));
                    streams.get(0).add(copyPipe(src, dst, t.name(), key + " < " + mid));
                    streams.get(1).add(copyPipe(src, dst, t.name(), key + " >= " + mid));
                    streamTables.get(0).add(t.name() + " (" + t.key().get(0) + " < " + mid + ")");
                    streamTables.get(1).add(t.name() + " (" + t.key().get(0) + " >= " + mid + ")");
                } else {
                    streams.get(1).add(copyPipe(src, dst, t.name(), null));
                    streamTables.get(1).add(t.name());
                }
            }
        } else {
            // Whole tables, biggest first onto the less loaded stream; each truncated and loaded with COPY FREEZE in
            // one transaction (as pgcopydb does): no second scan of a table on the source, no hint-bit rewrite later.
            long[] load = new long[2];
            for (FullDumpDataset.Table t : dataset.tables()) {
                int i = load[0] <= load[1] ? 0 : 1;
                load[i] += t.heapBytes();
                streams.get(i).add(copyPipeFreeze(src, dst, t.name()));
                streamTables.get(i).add(t.name());
            }
        }
        Path post = dir.resolve("post-data.dump");
        Timed run = new Timed(workDir);
        long t0 = run.t0;
        processes.exec(List.of("bash", "-c", "set -euo pipefail; " + processes.bin("pg_dump") + " --schema-only --section=pre-data -d '" + src
                + "' | " + processes.bin("psql") + " -X -q -v ON_ERROR_STOP=1 -d '" + dst + "'"), dir.resolve("pre-data.log"));
        long t1 = System.nanoTime();
        List<Process> running = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            running.add(processes.start(List.of("bash", "-c", "set -euo pipefail; " + String.join("; ", streams.get(i))),
                    dir.resolve("stream-" + (i + 1) + ".log")));
        }
        List<Double> streamSeconds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.await(running.get(i), dir.resolve("stream-" + (i + 1) + ".log"));
            streamSeconds.add(round2((System.nanoTime() - t1) / 1e9));
        }
        long t2 = System.nanoTime();
        processes.exec(List.of(processes.bin("pg_dump"), "--schema-only", "--section=post-data", "-Fc", "-f", post.toString(), "-d", src),
                dir.resolve("post-data-dump.log"));
        processes.exec(List.of(processes.bin("pg_restore"), "-j", "2", "-d", dst, post.toString()), dir.resolve("post-data-restore.log"));
        long t3 = run.end(workDir);
        Map<String, Object> r = result("limit", rep, run);
        r.put("preDataSeconds", round2((t1 - t0) / 1e9));
        r.put("copySeconds", round2((t2 - t1) / 1e9));
        r.put("streamSeconds", streamSeconds);
        r.put("postDataSeconds", round2((t3 - t2) / 1e9));
        r.put("streams", streamTables);
        r.put("format", options.limitSplit() ? "binary, tables halved by primary key" : "binary, whole tables, TRUNCATE + COPY FREEZE");
        measuredAndVerified(r, run, rep);
        return r;
    }

    /** The clocks of a timed run at its start and end: CPU counters, wall time (the logs' timestamps), monotonic time. */
    private static final class Timed {
        final MachineLoad.Mark load0;
        final long wall0;
        final long t0;
        MachineLoad.Mark load1;
        long wall1;
        long t1;

        Timed(Path workDir) {
            load0 = MachineLoad.mark(workDir);
            wall0 = System.currentTimeMillis();
            t0 = System.nanoTime();
        }

        /** Marks the end; returns its monotonic time. */
        long end(Path workDir) {
            t1 = System.nanoTime();
            wall1 = System.currentTimeMillis();
            load1 = MachineLoad.mark(workDir);
            return t1;
        }
    }

    /** A run's result: its tool, repetition and seconds; the tool's own figures follow. */
    private static Map<String, Object> result(String tool, int rep, Timed run) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tool", tool);
        r.put("rep", rep);
        r.put("seconds", round2((run.t1 - run.t0) / 1e9));
        return r;
    }

    /** The CPU used and the destination's phases during the run; the copy checked against the source (fully in repetition 1). */
    private void measuredAndVerified(Map<String, Object> r, Timed run, int rep) throws SQLException {
        r.put("machineLoad", MachineLoad.between(run.load0, run.load1));
        r.put("destinationPhases", phases.between(run.wall0, run.wall1));
        r.put("verification", dataset.verify(rep == 1));
    }

    private String copyPipeFreeze(String src, String dst, String table) {
        String q = "public." + quote(table);
        return processes.bin("psql") + " -X -q -v ON_ERROR_STOP=1 -d '" + src + "' -c " + shellQuote("COPY " + q + " TO STDOUT (FORMAT binary)")
                + " | " + processes.bin("psql") + " -X -q -v ON_ERROR_STOP=1 -d '" + dst + "' -c BEGIN -c " + shellQuote("TRUNCATE " + q)
                + " -c " + shellQuote("COPY " + q + " FROM STDIN (FORMAT binary, FREEZE)") + " -c COMMIT";
    }

    private String copyPipe(String src, String dst, String table, String condition) {
        String from = condition == null ? "public." + quote(table) : "(SELECT * FROM public." + quote(table) + " WHERE " + condition + ")";
        return processes.bin("psql") + " -X -q -v ON_ERROR_STOP=1 -d '" + src + "' -c " + shellQuote("COPY " + from + " TO STDOUT (FORMAT binary)")
                + " | " + processes.bin("psql") + " -X -q -v ON_ERROR_STOP=1 -d '" + dst + "' -c "
                + shellQuote("COPY public." + quote(table) + " FROM STDIN (FORMAT binary)");
    }
}
