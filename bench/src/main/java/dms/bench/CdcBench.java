package dms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dms.common.json.Json;
import dms.devstack.DevStack;
import dms.devstack.DmsService;
import dms.devstack.PgCluster;
import dms.devstack.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dms.common.messages.ReplicationNames;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CDC apply throughput and lag of the real services (cdc-worker as a process, driven through the API) against
 * PostgreSQL's native logical replication (CREATE SUBSCRIPTION, copy_data = false) on the same two clusters, in
 * the same run:
 * <ul>
 *   <li><b>backlog</b>: N rows inserted by a server-side {@code INSERT ... SELECT} in transactions of 1,000, written
 *       while nothing consumes the slot (our job stopped in CDC; native: the subscription not created yet), then the
 *       time until the destination has every row. Writing first keeps the source's load out of the apply measurement.</li>
 *   <li><b>follow</b>: the same load written while the consumer follows: the source writes faster than either
 *       consumer applies, so this is apply capacity with the source busy at the same time.</li>
 *   <li><b>updates</b>: as backlog, but N updates of the rows (each row once, by key ranges in transactions of 1,000)
 *       of a table the consumer holds whole, written while nothing consumes the slot.</li>
 *   <li><b>pgbench</b>: a TPC-B-like load (4 changes per transaction) while the stream runs; lag sampled every 100 ms
 *       (bytes: source WAL position − slot's confirmed position; seconds: now − newest {@code pgbench_history.mtime}
 *       on the destination), and the catch-up time after pgbench ends.</li>
 * </ul>
 * Our job is warmed up first (a production worker is long-lived: JIT and first connections are not part of the
 * numbers): a short load applied before the measured one. The CPU of the consumer's processes (walsender, JVM,
 * destination backends: {@link ConsumerCpu}) is reported per change, next to that of every process of the run. Both copies are checked equal to the source (md5 of the
 * rows in key order). Run with {@code bench/run-cdc.sh}.
 */
public final class CdcBench {

    private static final String SOURCE_PROFILE = "cdc-src";
    private static final String DESTINATION_PROFILE = "cdc-dst";
    private static final Duration TIMEOUT = Duration.ofMinutes(20);

    record Options(int rows, int perTransaction, int warmUpRows, int reps, int scale, int seconds, int warmUpSeconds, int clients,
                   List<String> scenarios, int tables, List<Integer> parallelism, boolean keep, Path out) {
        static Options parse(String[] args) {
            int rows = 500_000;
            int perTx = 1000;
            int warmUpRows = 100_000;
            int reps = 3;
            int scale = 10;
            int seconds = 60;
            // pgbench's updates take code paths the inserts before did not: the JIT compiles them in the first half
            // minute, with the lag it causes; the lag of a long-running worker is the one to measure.
            int warmUpSeconds = 30;
            int clients = 4;
            List<String> scenarios = List.of("backlog", "follow", "updates", "pgbench");
            int tables = 1;
            List<Integer> parallelism = List.of(1);
            boolean keep = false;
            Path out = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--rows" -> rows = Integer.parseInt(args[++i]);
                    case "--per-tx" -> perTx = Integer.parseInt(args[++i]);
                    case "--warm-up-rows" -> warmUpRows = Integer.parseInt(args[++i]);
                    case "--reps" -> reps = Integer.parseInt(args[++i]);
                    case "--scale" -> scale = Integer.parseInt(args[++i]);
                    case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                    case "--pgbench-warm-up" -> warmUpSeconds = Integer.parseInt(args[++i]);
                    case "--clients" -> clients = Integer.parseInt(args[++i]);
                    case "--scenarios" -> scenarios = List.of(args[++i].split(","));
                    case "--tables" -> tables = Integer.parseInt(args[++i]);
                    case "--cdc-parallelism" -> parallelism = Stream.of(args[++i].split(",")).map(Integer::valueOf).toList();
                    case "--keep" -> keep = true;
                    case "--out" -> out = Path.of(args[++i]);
                    case "--help", "-h" -> {
                        System.out.println("bench/run-cdc.sh [--rows 500000] [--per-tx 1000] [--warm-up-rows 100000] [--reps 3] [--scale 10]"
                                + " [--seconds 60] [--pgbench-warm-up 30] [--clients 4] [--scenarios backlog,follow,updates,pgbench]"
                                + " [--tables 1 (the backlog, follow and updates loads spread over that many tables)]"
                                + " [--cdc-parallelism 1 (ours: one run per value per repetition, e.g. 1,2)] [--keep] [--out FILE.json]");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a + " (--help)");
                }
            }
            if (rows % perTx != 0 || warmUpRows % perTx != 0) {
                throw new IllegalArgumentException("--rows and --warm-up-rows must be multiples of --per-tx");
            }
            return new Options(rows, perTx, warmUpRows, reps, scale, seconds, warmUpSeconds, clients, scenarios, tables, parallelism, keep, out);
        }
    }

    private final DevStack stack;
    private final Options options;
    private final Path workDir;
    private final BenchApi api;
    private final JobDriver jobs;
    private final EventTables events;
    /** Polling sessions, closed after each measured run. */
    private final Probes probes = new Probes();

    private CdcBench(DevStack stack, Options options, Path workDir, String apiUrl) {
        this.stack = stack;
        this.events = new EventTables(options.tables(), options.perTransaction());
        this.options = options;
        this.workDir = workDir;
        this.api = new BenchApi(apiUrl, "cdc-bench");
        this.jobs = new JobDriver(stack, api);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path repoRoot = RepoRoot.find();
        Path workDir = RunInfo.workDir("dms-cdc-bench-");
        Map<String, Object> result = RunInfo.header("cdc", RunInfo.machine(), repoRoot);
        result.put("options", Map.of("rows", options.rows(), "perTransaction", options.perTransaction(), "warmUpRows",
                options.warmUpRows(), "backlogReps", options.reps(), "pgbenchScale", options.scale(), "pgbenchSeconds", options.seconds(),
                "pgbenchWarmUpSeconds", options.warmUpSeconds(), "pgbenchClients", options.clients(), "tables", options.tables(), "cdcParallelism", options.parallelism()));
        List<String> table = new ArrayList<>();
        log("work dir %s", workDir);
        try {
            Path build = workDir.resolve("build");
            result.put("build", BuildSnapshot.copy(repoRoot, build, true));
            try (DevStack stack = DevStack.start(workDir, build)) {
                stack.startServices(EnumSet.of(DmsService.JOB_ORCHESTRATOR, DmsService.JOB_API, DmsService.DUMP_WORKER,
                        DmsService.CDC_WORKER), Map.of());
                String apiUrl = stack.service(DmsService.JOB_API).orElseThrow(() -> new BenchFailure("job-api is not built")).url();
                CdcBench bench = new CdcBench(stack, options, workDir, apiUrl);
                bench.jobs.awaitApi();
                bench.jobs.createProfile(SOURCE_PROFILE, stack.source());
                bench.jobs.createProfile(DESTINATION_PROFILE, stack.destination());
                for (Load load : Load.values()) {
                    if (options.scenarios().contains(load.scenario)) {
                        result.put(load.scenario, bench.loadScenario(load, table));
                    }
                }
                if (options.scenarios().contains("pgbench")) {
                    Map<String, Object> ours = bench.pgbench(true);
                    Map<String, Object> nat = bench.pgbench(false);
                    result.put("pgbench", Map.of("ours", ours, "native", nat));
                    table.add(String.format("pgbench -s %d -c %d -T %d (4 changes per transaction):", options.scale(), options.clients(),
                            options.seconds()));
                    for (Map<String, Object> r : List.of(ours, nat)) {
                        table.add(String.format("  %-6s source %,6.0f tps; applied %,7.0f changes/s; lag p50 %.2f s, p99 %.2f s, max %.2f s, max %,d kB;"
                                        + " caught up %.1f s after pgbench ended", r.get("consumer"), r.get("sourceTps"),
                                r.get("appliedChangesPerSecond"), r.get("lagSecondsP50"), r.get("lagSecondsP99"), r.get("lagSecondsMax"),
                                (Long) r.get("lagBytesMax") / 1024, r.get("catchUpSeconds")));
                        table.add("         CPU µs per change by process: " + r.get("cpuMicrosecondsPerChangeByProcess"));
                    }
                }
                if (options.keep()) {
                    log("logs kept in %s", stack.layout().logs());
                }
            }
        } finally {
            if (!options.keep()) {
                RunInfo.deleteTree(workDir);
            }
        }
        Path out = options.out() != null ? options.out() : repoRoot.resolve("bench/results/cdc-" + LocalDate.now() + ".json");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result) + "\n");
        System.out.println();
        table.forEach(System.out::println);
        System.out.println();
        System.out.println("results written to " + out);
    }

    // ---------------------------------------------------------------- backlog

    /** The measured loads: inserts written before the consumer starts or while it follows, updates written before. */
    private enum Load {
        BACKLOG("backlog", true, false), FOLLOW("follow", false, false), UPDATES("updates", true, true);

        final String scenario;
        final boolean backlog;
        final boolean updates;

        Load(String scenario, boolean backlog, boolean updates) {
            this.scenario = scenario;
            this.backlog = backlog;
            this.updates = updates;
        }
    }

    /**
     * A scenario, ours (once per cdcParallelism asked) and native alternating (so that a noisy minute hits both),
     * medians of the repetitions. The JSON keeps "ours" for cdcParallelism 1, "ours_n2" for 2, and so on.
     */
    private Map<String, Object> loadScenario(Load loadKind, List<String> table) throws Exception {
        boolean backlog = loadKind.backlog;
        Map<Integer, List<Map<String, Object>>> ours = new LinkedHashMap<>();
        List<Map<String, Object>> nat = new ArrayList<>();
        for (int rep = 1; rep <= options.reps(); rep++) {
            for (int n : options.parallelism()) {
                ours.computeIfAbsent(n, k -> new ArrayList<>()).add(loadOurs(rep, loadKind, n));
            }
            nat.add(loadNative(rep, loadKind));
        }
        double nativeMedian = Stats.median(values(nat, "changesPerSecond"));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("nativeMedianChangesPerSecond", nativeMedian);
        r.put("nativeMedianCpuMicrosecondsPerChangeByProcess", medianByProcess(nat));
        table.add(String.format("%s: %,d rows by %s in transactions of %,d over %d table(s) %s, median of %d (min-max):",
                loadKind.scenario, options.rows(), loadKind.updates ? "UPDATE ... WHERE id range" : "INSERT ... SELECT", options.perTransaction(),
                events.names().size(), backlog ? "written before the consumer starts" : "written while the consumer follows", options.reps()));
        for (Map.Entry<Integer, List<Map<String, Object>>> e : ours.entrySet()) {
            String key = consumer(e.getKey());
            double oursMedian = Stats.median(values(e.getValue(), "changesPerSecond"));
            r.put(key + "MedianChangesPerSecond", oursMedian);
            r.put(key + "RatioOfMedians", Stats.round(oursMedian / nativeMedian));
            r.put(key + "MedianCpuMicrosecondsPerChangeByProcess", medianByProcess(e.getValue()));
            r.put(key + "MedianJvmCpuMicrosecondsPerChangeByThread", medianByThread(e.getValue()));
            if (backlog) {
                r.put(key + "MedianFirstChangeSeconds", Stats.round(Stats.median(values(e.getValue(), "firstRowSeconds"))));
                r.put(key + "MedianResume", medianResume(e.getValue()));
            }
            r.put(key, e.getValue());
        }
        r.put("native", nat);
        List<List<Map<String, Object>>> rows = new ArrayList<>(ours.values());
        rows.add(nat);
        for (List<Map<String, Object>> runs : rows) {
            Map<String, Double> cpu = medianByProcess(runs);
            table.add(String.format("  %-8s %,8.0f changes/s (%,.0f-%,.0f); CPU µs per change: walsender %.1f, JVM %.1f, destination %.1f,"
                            + " total %.1f (all processes %.1f); load average %.1f%s", runs.get(0).get("consumer"),
                    Stats.median(values(runs, "changesPerSecond")), Stats.min(values(runs, "changesPerSecond")),
                    Stats.max(values(runs, "changesPerSecond")), cpu.get("walsender"), cpu.get("jvm"), cpu.get("destination"),
                    cpu.get("total"), Stats.median(values(runs, "cpuMicrosecondsPerChange")), Stats.median(values(runs, "loadAverage")),
                    backlog ? String.format("; first change %.2f s after start", Stats.median(values(runs, "firstRowSeconds"))) : ""));
            if (runs != nat) {
                table.add("           JVM CPU µs per change by thread: " + medianByThread(runs));
                if (backlog) {
                    table.add("           first change after :resume, by step (seconds; see ResumeBreakdown): " + medianResume(runs));
                }
            }
        }
        for (Map.Entry<Integer, List<Map<String, Object>>> e : ours.entrySet()) {
            table.add(String.format("  %s / native throughput: %.2f", consumer(e.getKey()),
                    Stats.median(values(e.getValue(), "changesPerSecond")) / nativeMedian));
        }
        return r;
    }

    /** "ours" for cdcParallelism 1, "ours_n2" for 2, ... */
    private static String consumer(int cdcParallelism) {
        return cdcParallelism == 1 ? "ours" : "ours_n" + cdcParallelism;
    }

    /** Each step of {@link ResumeBreakdown}, the median over the runs that logged them all. */
    private static Map<String, Double> medianResume(List<Map<String, Object>> runs) {
        Map<String, Double> m = new LinkedHashMap<>();
        List<Map<?, ?>> complete = runs.stream().<Map<?, ?>>map(r -> (Map<?, ?>) r.get("resume"))
                .filter(b -> b != null && !b.containsKey("missing")).toList();
        if (complete.isEmpty()) {
            return m;
        }
        for (String step : List.of("controlSeconds", "startChecksSeconds", "debeziumStartSeconds", "firstChangeSeconds", "redecodedKiB")) {
            m.put(step, Stats.round(Stats.median(complete.stream().map(b -> ((Number) b.get(step)).doubleValue()).toList())));
        }
        return m;
    }

    private static Map<String, Double> medianByProcess(List<Map<String, Object>> runs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String role : List.of("walsender", "jvm", "destination", "total")) {
            m.put(role, Stats.round(Stats.median(runs.stream()
                    .map(r -> ((Number) ((Map<?, ?>) r.get("cpuMicrosecondsPerChangeByProcess")).get(role)).doubleValue()).toList())));
        }
        return m;
    }

    /** Medians of the JVM's CPU per change by kind of thread (see {@link ConsumerCpu.ThreadKind}). */
    private static Map<String, Double> medianByThread(List<Map<String, Object>> runs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (ConsumerCpu.ThreadKind kind : ConsumerCpu.ThreadKind.values()) {
            String k = kind.name().toLowerCase();
            m.put(k, Stats.round(Stats.median(runs.stream().map(r -> ((Number) ((Map<?, ?>) ((Map<?, ?>) r.get("cpuMicrosecondsPerChangeByProcess"))
                    .get("jvmByThread")).get(k)).doubleValue()).toList())));
        }
        return m;
    }

    private Map<String, Object> loadOurs(int rep, Load loadKind, int cdcParallelism) throws Exception {
        boolean backlog = loadKind.backlog;
        String db = loadKind.scenario + "_" + rep + (cdcParallelism == 1 ? "" : "_n" + cdcParallelism);
        PgCluster src = stack.source();
        src.createDatabase(db);
        src.execute(db, events.createStatements());
        String id = "cdc-" + loadKind.scenario + "-" + rep + (cdcParallelism == 1 ? "" : "-n" + cdcParallelism);
        startJob(id, db, cdcParallelism);
        // warm-up: a first load applied while streaming (for updates, the rows they update)
        int warmUp = loadKind.updates ? options.rows() : options.warmUpRows();
        if (backlog && warmUp > options.perTransaction()) {
            // A stream that ran a while has its slot's restart point near its confirmed position: PostgreSQL moves it
            // past a running-transactions record (every 15 s on a busy server, and at checkpoints) once the client
            // confirmed past it. The warm-up lasts seconds: without a checkpoint before its last transaction, the
            // resume would first decode the whole warm-up again (native's slot, made just before its backlog, does not).
            insertRows(db, 0, warmUp - options.perTransaction());
            src.execute(db, "CHECKPOINT");
            insertRows(db, warmUp - options.perTransaction(), options.perTransaction());
        } else {
            insertRows(db, 0, warmUp);
        }
        awaitRows(db, warmUp);
        log("%s: warm-up of %,d rows applied", db, warmUp);
        if (backlog) {
            action(id, "stop");
            jobs.awaitJob(id, j -> "STOPPED".equals(j.path("state").asText()), Duration.ofMinutes(2), "STOPPED");
            writeBacklog(db, loadKind);
            log("%s: %,d changes written while stopped; resuming", db, options.rows());
        }
        long worker = stack.service(DmsService.CDC_WORKER).map(s -> s.pid()).orElse(-1L);
        Instant[] resumedAt = new Instant[1];
        Map<String, Object> r = measure(db, consumer(cdcParallelism), loadKind.updates ? 0 : options.warmUpRows(), worker, () -> {
            if (backlog) {
                resumedAt[0] = Instant.now();
                action(id, "resume");
            } else {
                insertRows(db, options.warmUpRows(), options.rows());
            }
        }, loadKind);
        if (backlog) {
            Map<String, Object> resume = ResumeBreakdown.of(stack.service(DmsService.CDC_WORKER).orElseThrow().logFile(), id, db,
                    ReplicationNames.slot(id, db), resumedAt[0], (Double) r.get("firstRowSeconds"));
            r.put("resume", resume);
            log("%s: resume %s", db, resume);
        }
        probes.close();
        jobs.deleteJob(id, jobs.awaitJob(id, j -> true, Duration.ofSeconds(10), "readable"), db);
        return r;
    }

    private Map<String, Object> loadNative(int rep, Load loadKind) throws Exception {
        boolean backlog = loadKind.backlog;
        String db = loadKind.scenario + "_native_" + rep;
        PgCluster src = stack.source();
        PgCluster dst = stack.destination();
        src.createDatabase(db);
        dst.createDatabase(db);
        src.execute(db, events.createStatements());
        dst.execute(db, events.createStatements());
        src.execute(db, "CREATE PUBLICATION bench_pub FOR TABLE " + events.publicationList());
        src.queryForString(db, "SELECT lsn::text FROM pg_create_logical_replication_slot('" + nativeSlot(db) + "', 'pgoutput')");
        if (loadKind.updates) {
            // the rows to update replicated first; the subscription then disabled (its slot kept) while they are written
            subscribe(db);
            insertRows(db, 0, options.rows());
            awaitRows(db, options.rows());
            stack.destination().execute(db, "ALTER SUBSCRIPTION bench_sub DISABLE");
            writeBacklog(db, loadKind);
        } else if (backlog) {
            insertRows(db, 0, options.rows());
        } else {
            subscribe(db); // started before the measure, as our job is
            insertRows(db, 0, options.warmUpRows());
            awaitRows(db, options.warmUpRows());
        }
        int before = backlog ? 0 : options.warmUpRows();
        Map<String, Object> r = measure(db, "native", before, -1, () -> {
            if (loadKind.updates) {
                stack.destination().execute(db, "ALTER SUBSCRIPTION bench_sub ENABLE");
            } else if (backlog) {
                subscribe(db);
            } else {
                insertRows(db, before, options.rows());
            }
        }, loadKind);
        probes.close();
        unsubscribe(db);
        return r;
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Times {@code start} (a resume, a subscribe, or the load itself) until the destination holds every row, with the
     * CPU of the consumer's processes and of the machine meanwhile; then compares the rows with the source.
     */
    private Map<String, Object> measure(String db, String consumer, int before, long jvmPid, Step start, Load loadKind) throws Exception {
        int total = before + options.rows();
        Map<String, Object> byProcess;
        double seconds;
        double first;
        Map<String, Object> load;
        try (ConsumerCpu cpu = new ConsumerCpu(stack.source(), stack.destination(), db, jvmPid)) {
            MachineLoad.Mark m0 = MachineLoad.mark(workDir);
            long t0 = System.nanoTime();
            start.run();
            if (loadKind.updates) {
                first = awaitUpdated(db, 1, t0);
                awaitUpdated(db, options.rows(), t0);
            } else {
                first = loadKind.backlog ? awaitRowsAbove(db, before, t0) : Double.NaN;
                awaitRows(db, total);
            }
            seconds = (System.nanoTime() - t0) / 1e9;
            byProcess = cpu.stop(options.rows());
            load = MachineLoad.between(m0, MachineLoad.mark(workDir));
        }
        boolean equal = events.names().stream().allMatch(t -> sameRows(db, db, t, "id"));
        log("%s %s: %.1f s (%,.0f changes/s), CPU µs per change %s, equal %s", db, consumer, seconds, options.rows() / seconds,
                byProcess, equal);
        Map<String, Object> r = result(consumer, seconds, first, equal, load);
        r.put("cpuMicrosecondsPerChangeByProcess", byProcess);
        r.put("loadAverage", load.get("loadAverage1mAtEnd"));
        return r;
    }

    private Map<String, Object> result(String consumer, double seconds, double first, boolean equal, Map<String, Object> load) {
        if (!equal) {
            throw new BenchFailure(consumer + ": the destination differs from the source");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("consumer", consumer);
        r.put("seconds", Stats.round(seconds));
        r.put("firstRowSeconds", Stats.round(first));
        r.put("changesPerSecond", (double) Math.round(options.rows() / seconds));
        r.put("equal", equal);
        // CPU of every process of the run (servers, broker, services) per change applied
        r.put("cpuMicrosecondsPerChange", Stats.round((Double) load.get("thisRunCores") * (Double) load.get("seconds") / options.rows() * 1e6));
        r.put("machineLoad", load);
        return r;
    }

    /**
     * Rows {@code from + 1 .. from + count} by server-side {@code INSERT ... SELECT}, one transaction per
     * {@code perTransaction} rows: the source writes faster than either consumer applies.
     */
    private void insertRows(String db, int from, int count) {
        stack.source().execute(db, events.loop(from, count, "INSERT INTO %I (id, kind, body) SELECT $1 + i, i %% 7, md5(i::text)"
                + " FROM generate_series(1, $2) i"));
    }

    /** The backlog written while nothing consumes: the rows after the warm-up, or an update of every row. */
    private void writeBacklog(String db, Load loadKind) {
        if (loadKind.updates) {
            stack.source().execute(db, events.loop(0, options.rows(), "UPDATE %I SET kind = kind + " + UPDATED
                    + ", body = md5(body) WHERE id > $1 AND id <= $1 + $2"));
        } else {
            insertRows(db, options.warmUpRows(), options.rows());
        }
    }

    /** Added to kind by the updates (kind is below 7 before). */
    private static final int UPDATED = 100;

    /**
     * Seconds from t0 until the destination holds row {@code id} updated: rows are updated in id order, and both
     * consumers apply whole transactions in commit order.
     */
    private double awaitUpdated(String db, long id, long t0) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!probes.query(stack.destination(), db, "SELECT coalesce(max(kind), 0) >= " + UPDATED + " FROM "
                + events.tableOf(id) + " WHERE id = " + id).equals("t")) {
            if (System.nanoTime() > deadline) {
                throw new BenchFailure(db + ": row " + id + " not updated on the destination after " + TIMEOUT);
            }
            sleep(100);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Waits until the destination holds rows {@code 1 .. total}: each table's last id (see {@link EventTables}). A
     * max(id) is an index lookup; a count(*) every 100 ms scanned the table with parallel workers, taking CPU from the
     * consumer being measured. sameRows checks every row afterwards.
     */
    private void awaitRows(String db, long total) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (String table : events.names()) {
            long last = events.lastIdOf(table, total);
            while (lastId(db, table) < last) {
                if (System.nanoTime() > deadline) {
                    throw new BenchFailure(db + ": " + table + " on the destination has " + count(db, table) + " rows, not up to id " + last
                            + ", after " + TIMEOUT);
                }
                sleep(100);
            }
        }
    }

    /** Seconds from t0 until the destination holds a row after {@code before} in any table: the first change applied. */
    private double awaitRowsAbove(String db, long before, long t0) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (events.names().stream().allMatch(t -> lastId(db, t) <= before)) {
            if (System.nanoTime() > deadline) {
                throw new BenchFailure(db + ": no row after id " + before + " on the destination after " + TIMEOUT);
            }
            sleep(20);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private long lastId(String db, String table) {
        return Long.parseLong(probes.query(stack.destination(), db, "SELECT coalesce(max(id), 0) FROM " + table));
    }

    // ---------------------------------------------------------------- pgbench

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");
    /** Lag is sampled this often: enough samples in a minute for a p99. */
    private static final int LAG_SAMPLE_MS = 100;
    /**
     * Lets the lag probe ({@code max(mtime)} on the destination, 10 times a second) read an index instead of scanning
     * the growing history table, which would take CPU from the consumer measured; both consumers get it.
     */
    private static final String LAG_INDEX = "CREATE INDEX bench_history_mtime ON pgbench_history (mtime)";

    private Map<String, Object> pgbench(boolean ours) throws Exception {
        String db = ours ? "pgb" : "pgb_native";
        PgCluster src = stack.source();
        PgCluster dst = stack.destination();
        src.createDatabase(db);
        exec(List.of("pgbench", "-i", "-q", "-s", String.valueOf(options.scale()), "-h", "127.0.0.1", "-p", String.valueOf(src.port()),
                "-U", PgCluster.USER, db), "pgbench-init-" + db);
        // pgbench_history has no key: its inserts replicate through REPLICA IDENTITY FULL (what a user is told to set)
        src.execute(db, "ALTER TABLE pgbench_history REPLICA IDENTITY FULL");
        String id = "cdc-pgbench";
        String slot;
        if (ours) {
            JsonNode job = startJob(id, db, 1);
            slot = job.path("databaseProgress").path(0).path("slotName").asText();
            dst.execute(db, LAG_INDEX);
        } else {
            slot = nativeSlot(db);
            src.execute(db, "CREATE PUBLICATION bench_pub FOR TABLE pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history");
            src.queryForString(db, "SELECT lsn::text FROM pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            dst.createDatabase(db);
            exec(List.of("sh", "-c", "pg_dump -Fc -h 127.0.0.1 -p " + src.port() + " -U dms " + db + " | pg_restore -h 127.0.0.1 -p "
                    + dst.port() + " -U dms -d " + db), "restore-" + db);
            dst.execute(db, LAG_INDEX);
            subscribe(db);
        }
        // warm-up (untimed): a short load, applied whole before the measured one
        runPgbench(db, options.warmUpSeconds(), "warm-up");
        awaitCaughtUp(db);
        log("pgbench %s: warm-up applied; measuring %d s", ours ? "ours" : "native", options.seconds());

        long historyBefore = count(db, "pgbench_history", src);
        long worker = ours ? stack.service(DmsService.CDC_WORKER).map(s -> s.pid()).orElse(-1L) : -1L;
        ConsumerCpu cpu = new ConsumerCpu(src, dst, db, worker);
        MachineLoad.Mark m0 = MachineLoad.mark(workDir);
        // The lag counts from the measured run's start: before its first transaction shows, the newest one on the destination
        // is the warm-up's, and the pause between the two runs (the catch-up check, the CPU probes' start) is not lag.
        String measuredFrom = probes.query(dst, db, "SELECT clock_timestamp()::timestamp::text");
        long t0 = System.nanoTime();
        Process load = startPgbench(db, options.seconds(), "measured");
        List<Double> lagSeconds = new ArrayList<>();
        long lagBytesMax = 0;
        while (load.isAlive()) {
            lagBytesMax = Math.max(lagBytesMax, lagBytes(db, slot));
            lagSeconds.add(visibleLagSeconds(db, measuredFrom));
            sleep(LAG_SAMPLE_MS);
        }
        if (load.waitFor() != 0) {
            throw new BenchFailure("pgbench failed: see " + logFile("pgbench-measured-" + db));
        }
        long t1 = System.nanoTime();
        awaitCaughtUp(db);
        long t2 = System.nanoTime();
        Map<String, Object> machine = MachineLoad.between(m0, MachineLoad.mark(workDir));
        double tps = sourceTps(db);
        long transactions = count(db, "pgbench_history", src) - historyBefore;
        Map<String, Object> byProcess = cpu.stop(4 * transactions);
        cpu.close();
        boolean equal = sameRows(db, db, "pgbench_accounts", "aid") && sameRows(db, db, "pgbench_tellers", "tid")
                && sameRows(db, db, "pgbench_branches", "bid") && sameRows(db, db, "pgbench_history", "tid, bid, aid, delta, mtime");
        if (!equal) {
            throw new BenchFailure("pgbench " + db + ": the destination differs from the source");
        }
        if (ours) {
            probes.close();
            jobs.deleteJob(id, jobs.awaitJob(id, j -> true, Duration.ofSeconds(10), "readable"), db);
        } else {
            probes.close();
            unsubscribe(db);
        }
        double catchUp = (t2 - t1) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("consumer", ours ? "ours" : "native");
        r.put("sourceTps", Stats.round(tps));
        r.put("transactions", transactions);
        r.put("pgbenchSeconds", Stats.round((t1 - t0) / 1e9));
        r.put("catchUpSeconds", Stats.round(catchUp));
        r.put("appliedChangesPerSecond", (double) Math.round(4.0 * transactions / ((t2 - t0) / 1e9)));
        r.put("lagSampleMillis", LAG_SAMPLE_MS);
        r.put("lagSecondsP50", Stats.round(Stats.median(lagSeconds)));
        Stats lag = Stats.ofMillis(lagSeconds); // nearest-rank percentiles; the unit is seconds here
        r.put("lagSecondsP90", Stats.round(lag.p90()));
        r.put("lagSecondsP99", Stats.round(lag.p99()));
        r.put("lagSecondsMax", Stats.round(Stats.max(lagSeconds)));
        r.put("lagSecondsSamples", lagSeconds.stream().map(Stats::round).toList());
        r.put("lagBytesMax", lagBytesMax);
        r.put("cpuMicrosecondsPerChangeByProcess", byProcess);
        r.put("equal", true);
        r.put("machineLoad", machine);
        log("pgbench %s: %s", r.get("consumer"), r);
        return r;
    }

    private void runPgbench(String db, int seconds, String label) throws Exception {
        Process p = startPgbench(db, seconds, label);
        if (p.waitFor() != 0) {
            throw new BenchFailure("pgbench failed: see " + logFile("pgbench-" + label + "-" + db));
        }
    }

    private Process startPgbench(String db, int seconds, String label) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("pgbench", "-n", "-c", String.valueOf(options.clients()), "-j", "2", "-T",
                String.valueOf(seconds), "-h", "127.0.0.1", "-p", String.valueOf(stack.source().port()), "-U", PgCluster.USER, db)
                .redirectErrorStream(true).redirectOutput(logFile("pgbench-" + label + "-" + db).toFile());
        pb.environment().put("PGPASSWORD", PgCluster.PASSWORD);
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    private double sourceTps(String db) throws IOException {
        Matcher m = TPS.matcher(Files.readString(logFile("pgbench-measured-" + db)));
        if (!m.find()) {
            throw new BenchFailure("no tps in " + logFile("pgbench-measured-" + db));
        }
        return Double.parseDouble(m.group(1));
    }

    /** Waits until the destination has every pgbench transaction (each inserts one history row; apply keeps commit order). */
    private void awaitCaughtUp(String db) {
        long target = count(db, "pgbench_history", stack.source());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (count(db, "pgbench_history") < target) {
            if (System.nanoTime() > deadline) {
                throw new BenchFailure(db + ": not caught up after " + TIMEOUT);
            }
            sleep(100);
        }
    }

    private long lagBytes(String db, String slot) {
        String v = probes.query(stack.source(), db, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint"
                + " FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
        return v == null || v.isBlank() ? 0 : Long.parseLong(v);
    }

    /**
     * Now minus the newest pgbench transaction visible on the destination (its start time, set by the source; one clock on
     * this machine), or minus {@code from} (the measured run's start) while none of the run is visible yet.
     */
    private double visibleLagSeconds(String db, String from) {
        String v = probes.query(stack.destination(), db, "SELECT extract(epoch FROM clock_timestamp()::timestamp - GREATEST(max(mtime), '"
                + from + "'::timestamp)) FROM pgbench_history");
        return Double.parseDouble(v);
    }

    // ---------------------------------------------------------------- shared

    private JsonNode startJob(String id, String db, int cdcParallelism) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("source", SOURCE_PROFILE);
        body.put("destination", DESTINATION_PROFILE);
        body.put("databases", List.of(db));
        body.put("cdcParallelism", cdcParallelism);
        BenchApi.Reply created = api.post("/v1/migration-jobs", body);
        if (created.status() != 200 && created.status() != 202) {
            throw new BenchFailure("create job " + id + ": " + created.status() + " " + created.text());
        }
        jobs.awaitJob(id, j -> "NOT_STARTED".equals(j.path("state").asText()), Duration.ofSeconds(30), "NOT_STARTED");
        action(id, "start");
        JsonNode job = jobs.awaitJob(id, j -> ("RUNNING".equals(j.path("state").asText()) && "CDC".equals(j.path("phase").asText()))
                || j.path("state").asText().startsWith("FAILED"), TIMEOUT, "RUNNING/CDC");
        if (!"RUNNING".equals(job.path("state").asText())) {
            throw new BenchFailure("job " + id + " failed: " + job);
        }
        return job;
    }

    private void action(String id, String verb) {
        BenchApi.Reply r = api.post("/v1/migration-jobs/" + id + ":" + verb, null);
        if (r.status() != 200 && r.status() != 202) {
            throw new BenchFailure(verb + " " + id + ": " + r.status() + " " + r.text());
        }
    }

    private void subscribe(String db) {
        stack.destination().execute(db, "CREATE SUBSCRIPTION bench_sub CONNECTION 'host=127.0.0.1 port=" + stack.source().port()
                + " user=" + PgCluster.USER + " password=" + PgCluster.PASSWORD + " dbname=" + db + "' PUBLICATION bench_pub"
                + " WITH (copy_data = false, create_slot = false, slot_name = '" + nativeSlot(db) + "')");
    }

    private void unsubscribe(String db) {
        PgCluster dst = stack.destination();
        dst.execute(db, "ALTER SUBSCRIPTION bench_sub DISABLE");
        dst.execute(db, "ALTER SUBSCRIPTION bench_sub SET (slot_name = NONE)");
        dst.execute(db, "DROP SUBSCRIPTION bench_sub");
        stack.source().execute(db, "SELECT pg_drop_replication_slot('" + nativeSlot(db) + "')");
    }

    private static String nativeSlot(String db) {
        return "bench_" + db;
    }

    /** Rows on the destination, on the kept polling session (it is asked many times a second while waiting). */
    private long count(String db, String table) {
        return Long.parseLong(probes.query(stack.destination(), db, "SELECT count(*) FROM " + table));
    }

    private static long count(String db, String table, PgCluster cluster) {
        return Long.parseLong(cluster.queryForString(db, "SELECT count(*) FROM " + table));
    }

    /** md5 of every row in key order, source against destination. */
    private boolean sameRows(String srcDb, String dstDb, String table, String order) {
        String q = "SELECT md5(COALESCE(string_agg(t::text, '|' ORDER BY " + order + "), '')) FROM " + table + " t";
        return stack.source().queryForString(srcDb, q).equals(stack.destination().queryForString(dstDb, q));
    }

    private void exec(List<String> command, String label) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile(label).toFile());
        pb.environment().put("PGPASSWORD", PgCluster.PASSWORD);
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new BenchFailure(command + " failed: see " + logFile(label));
        }
    }

    private Path logFile(String label) {
        return workDir.resolve(label + ".log");
    }

    /** One number of every run, e.g. its changes per second. */
    private static List<Double> values(List<Map<String, Object>> runs, String key) {
        return runs.stream().map(r -> ((Number) r.get(key)).doubleValue()).toList();
    }

    private static void sleep(long ms) {
        JobDriver.pause(ms);
    }

    private static void log(String format, Object... args) {
        long now = System.currentTimeMillis();
        System.out.printf("%tT.%tL cdc bench: %s%n", now, now, String.format(format, args));
    }
}
