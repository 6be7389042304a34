package dms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dms.common.json.Json;
import dms.common.verify.TableChecksum;
import dms.devstack.DevStack;
import dms.devstack.DmsService;
import dms.devstack.PgCluster;
import dms.devstack.RepoRoot;
import dms.devstack.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Full-dump throughput on the local stack (devstack: real Kafka, real PostgreSQL 15 clusters, the four services
 * as real processes): the time from {@code POST /v1/migration-jobs/{id}:start} until the job shows RUNNING/CDC,
 * against the same copy done by other tools between the same two clusters, in the same run:
 * <ol>
 *   <li><b>ours</b>: connection profiles and a job through the REST API, dumpParallelism OPTIMAL (and MAX once);</li>
 *   <li><b>pgcopydb</b>: {@code pgcopydb clone --table-jobs 2 --index-jobs 2};</li>
 *   <li><b>pg_dump + pg_restore</b>: {@code pg_dump -Fd -j 2} then {@code pg_restore -j 2} (both times reported);</li>
 *   <li><b>limit</b>: pre-data, two parallel {@code COPY ... TO STDOUT | COPY ... FROM STDIN} streams (binary), then
 *       post-data with {@code pg_restore -j 2}: what two cores can do with PostgreSQL's own tools.</li>
 * </ol>
 * Dataset in the source database {@value #DB}: {@code pgbench -i -s 20} plus a table {@code wide} (jsonb, numeric,
 * text, timestamptz; 1 M rows; two secondary indexes), at least 500 MB. Every run writes into a fresh destination
 * database; the tools run in turn, repetition after repetition. After each of our runs the destination is compared
 * with the source table by table (row count and md5 of every row in key order); other tools' copies are checked by
 * row counts and index names (and checksums in the first repetition). Prints a table and writes JSON to
 * {@code bench/results/full-dump-<date>.json}.
 *
 * <p>The services run from a copy of the build taken at start, so a rebuild in the checkout during the run cannot
 * change them.
 */
public final class FullDumpBench {

    static final String DB = "bench";
    static final double GOAL_VS_PGCOPYDB = 1.0;
    static final double GOAL_VS_LIMIT = 1.25;
    static final double QUIET_CORES = 0.2;
    private static final String SOURCE_PROFILE = "fd-src";
    private static final String DESTINATION_PROFILE = "fd-dst";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);
    private static final List<String> ALL_TOOLS = List.of("ours", "pgcopydb", "pgdump", "limit");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private static final Pattern LOG_LINE = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3})\\s+\\w+\\s+\\[[^]]*]\\s+\\(([^)]*)\\)\\s+(.*)$");

    /** Command-line options; see {@code --help}. */
    record Options(int reps, int variantRuns, List<String> tools, int scale, int wideRows, long minDbMb, boolean keep,
                   Path out, String parallelism, List<String> pgcopydbFlags, Map<String, String> workerProperties,
                   Map<String, String> orchestratorProperties, List<Variant> variants, boolean statementLog,
                   int quietWaitSeconds, boolean limitSplit, boolean warmUp) {
        static Options parse(String[] args) {
            int reps = 3;
            int variantRuns = 1;
            List<String> tools = ALL_TOOLS;
            int scale = 20;
            int wideRows = 1_000_000;
            Long minDbMb = null;
            boolean keep = false;
            Path out = null;
            String parallelism = "OPTIMAL";
            List<String> pgcopydbFlags = List.of("--no-owner");
            Map<String, String> workerProperties = new LinkedHashMap<>();
            Map<String, String> orchestratorProperties = new LinkedHashMap<>();
            List<Variant> variants = new ArrayList<>(List.of(Variant.parse("max:parallelism=MAX")));
            boolean variantsGiven = false;
            boolean statementLog = true;
            int quietWait = 45;
            boolean limitSplit = false;
            boolean warmUp = true;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--reps" -> reps = Integer.parseInt(args[++i]);
                    case "--variant-runs", "--max-runs" -> variantRuns = Integer.parseInt(args[++i]);
                    case "--tools" -> tools = Arrays.stream(args[++i].split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                    case "--scale" -> scale = Integer.parseInt(args[++i]);
                    case "--wide-rows" -> wideRows = Integer.parseInt(args[++i]);
                    case "--min-db-mb" -> minDbMb = Long.parseLong(args[++i]);
                    case "--parallelism" -> parallelism = args[++i].toUpperCase();
                    case "--pgcopydb-flags" -> pgcopydbFlags = Arrays.stream(args[++i].split(" ")).filter(s -> !s.isBlank()).toList();
                    case "--worker-prop", "--worker-property" -> putProperty(workerProperties, args[++i]);
                    case "--orchestrator-prop", "--orchestrator-property" -> putProperty(orchestratorProperties, args[++i]);
                    case "--variant" -> {
                        if (!variantsGiven) {
                            variants.clear();
                            variantsGiven = true;
                        }
                        String v = args[++i];
                        if (!v.equals("none")) {
                            variants.add(Variant.parse(v));
                        }
                    }
                    case "--no-statement-log" -> statementLog = false;
                    case "--quiet-wait" -> quietWait = Integer.parseInt(args[++i]);
                    case "--limit-split" -> limitSplit = true;
                    case "--no-warm-up" -> warmUp = false;
                    case "--keep" -> keep = true;
                    case "--out" -> out = Path.of(args[++i]);
                    case "-h", "--help" -> {
                        System.out.println("""
                                usage: FullDumpBench [--reps 3] [--tools ours,pgcopydb,pgdump,limit] [--scale 20 (pgbench)]
                                         [--wide-rows 1000000] [--min-db-mb 500 (0 unless scale and wide rows are the defaults)]
                                         [--parallelism OPTIMAL (ours: the job's dumpParallelism)]
                                         [--worker-prop dms.dump.range-bytes=67108864 ...] (the dump-worker's settings)
                                         [--orchestrator-prop dms.dump.worker-cores=3 ...] (the orchestrator's settings)
                                         [--variant LABEL:parallelism=MAX,dms.dump.range-bytes=67108864,orchestrator.dms.dump.worker-cores=3 ...]
                                             more runs of ours after the repetitions, each with its settings on top of the
                                             above (default: one variant max:parallelism=MAX; --variant none for none)
                                         [--variant-runs 1 (runs per variant)]
                                         [--pgcopydb-flags '--no-owner' (added to clone --table-jobs 2 --index-jobs 2)]
                                         [--no-statement-log (no destination statement log, no per-phase times from it)]
                                         [--limit-split (the limit halves big tables by key; default: whole tables, FREEZE)]
                                         [--no-warm-up (no untimed small job after a dump-worker starts)]
                                         [--quiet-wait 45 (before each timed run, wait up to this many seconds for
                                             other processes to use less than 0.2 cores; 0: do not wait)]
                                         [--keep (keep the work dir: services' and tools' logs)] [--out FILE.json]""");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
                }
            }
            for (String t : tools) {
                if (!ALL_TOOLS.contains(t)) {
                    throw new IllegalArgumentException("unknown tool " + t + "; known: " + ALL_TOOLS);
                }
            }
            if (minDbMb == null) {
                // The issue's data set must be at least 500 MB; a smaller smoke run takes what it gets.
                minDbMb = scale >= 20 && wideRows >= 1_000_000 ? 500L : 0L;
            }
            if (!tools.contains("ours")) {
                variants.clear();
            }
            return new Options(reps, variantRuns, tools, scale, wideRows, minDbMb, keep, out, parallelism, pgcopydbFlags,
                    workerProperties, orchestratorProperties, variants, statementLog, quietWait, limitSplit, warmUp);
        }

        private static void putProperty(Map<String, String> into, String keyValue) {
            int eq = keyValue.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value: " + keyValue);
            }
            into.put(keyValue.substring(0, eq).trim(), keyValue.substring(eq + 1).trim());
        }
    }

    /**
     * Extra runs of ours with other settings: {@code parallelism=LEVEL} (the job's dumpParallelism), dump-worker
     * properties ({@code dms.dump.range-bytes=...}) and orchestrator properties prefixed {@code orchestrator.}
     * ({@code orchestrator.dms.dump.worker-cores=3}). The services are restarted with them for the variant's runs.
     */
    record Variant(String label, String parallelism, Map<String, String> workerProperties, Map<String, String> orchestratorProperties) {
        static Variant parse(String spec) {
            int colon = spec.indexOf(':');
            String label = colon < 0 ? spec : spec.substring(0, colon);
            String parallelism = null;
            Map<String, String> worker = new LinkedHashMap<>();
            Map<String, String> orchestrator = new LinkedHashMap<>();
            if (colon >= 0) {
                for (String kv : spec.substring(colon + 1).split(",")) {
                    if (kv.isBlank()) {
                        continue;
                    }
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("variant " + label + ": expected key=value, got " + kv);
                    }
                    String k = kv.substring(0, eq).trim();
                    String v = kv.substring(eq + 1).trim();
                    if (k.equals("parallelism")) {
                        parallelism = v.toUpperCase();
                    } else if (k.startsWith("orchestrator.")) {
                        orchestrator.put(k.substring("orchestrator.".length()), v);
                    } else {
                        worker.put(k, v);
                    }
                }
            }
            if (!label.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("variant label must be letters, digits, - or _: " + label);
            }
            return new Variant(label, parallelism, worker, orchestrator);
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", label);
            if (parallelism != null) {
                m.put("dumpParallelism", parallelism);
            }
            if (!workerProperties.isEmpty()) {
                m.put("dumpWorkerProperties", workerProperties);
            }
            if (!orchestratorProperties.isEmpty()) {
                m.put("orchestratorProperties", orchestratorProperties);
            }
            return m;
        }
    }

    /** A table of the dataset: name, key (empty: none), rows, bytes. */
    record Table(String name, List<String> key, long rows, long heapBytes, long totalBytes) {}

    private final DevStack stack;
    private final Options options;
    private final Path workDir;
    private final Path bindir;
    private final BenchApi api;
    private final JobDriver jobs;
    private final Map<String, List<Map<String, Object>>> runs = new LinkedHashMap<>();
    private List<Table> tables = List.of();
    private Map<String, TableChecksum.Checksum> sourceChecksums = Map.of();
    private Set<String> sourceIndexes = Set.of();
    private int jobCounter;
    /** The dump-worker and orchestrator now running, and the settings they run with. */
    private ServiceProcess dumpWorker;
    private ServiceProcess orchestrator;
    private Map<String, String> dumpWorkerProperties = Map.of();
    private Map<String, String> orchestratorProperties = Map.of();
    private int serviceGeneration;
    private boolean warmUpPending;
    static final String WARM_UP_DB = "warmup";

    private FullDumpBench(DevStack stack, Options options, Path workDir, Path bindir, String apiUrl) {
        this.stack = stack;
        this.options = options;
        this.workDir = workDir;
        this.bindir = bindir;
        this.api = new BenchApi(apiUrl, "full-dump-bench");
        this.jobs = new JobDriver(stack, api);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        Path repoRoot = RepoRoot.find();
        Path bindir = pgBindir();
        Path workDir = RunInfo.workDir("dms-fulldump-");
        Map<String, Object> machine = RunInfo.machine();
        machine.put("summary", machine.get("cores") + " cores, " + Math.round((Double) machine.get("memoryGiB")) + " GiB");
        Map<String, Object> result = RunInfo.header("full-dump", machine, repoRoot);
        result.put("otherActivityAtStart", otherActivity());
        List<String> table;
        log("work dir %s; PostgreSQL binaries %s", workDir, bindir);
        try {
            Path build = workDir.resolve("build");
            // The services run from a copy: others rebuild the checkout while this runs for many minutes.
            result.put("build", BuildSnapshot.copy(repoRoot, build, true));
            result.put("tools", toolVersions(bindir));
            try (DevStack stack = DevStack.start(workDir, build)) {
                // The control plane as devstack starts it; the dump-worker as a real process of its own, so that its
                // settings can be chosen (and changed between variants). The cdc-worker is not on the path measured
                // (the job is RUNNING/CDC once the dump is done) and is not started.
                stack.startServices(EnumSet.of(DmsService.JOB_ORCHESTRATOR, DmsService.JOB_API), Map.of());
                String apiUrl = stack.service(DmsService.JOB_API)
                        .orElseThrow(() -> new BenchFailure("job-api is not built: mvn -B install -DskipTests")).url();
                FullDumpBench bench = new FullDumpBench(stack, options, workDir, bindir, apiUrl);
                bench.orchestrator = stack.service(DmsService.JOB_ORCHESTRATOR)
                        .orElseThrow(() -> new BenchFailure("job-orchestrator is not built: mvn -B install -DskipTests"));
                bench.useServices(options.workerProperties(), options.orchestratorProperties());
                table = bench.run(result);
                result.put("otherActivityAtEnd", otherActivity());
                if (options.keep()) {
                    log("logs kept in %s", stack.layout().logs());
                }
            }
        } finally {
            if (!options.keep()) {
                RunInfo.deleteTree(workDir);
            }
        }
        Path out = options.out() != null ? options.out()
                : repoRoot.resolve("bench/results/full-dump-" + LocalDate.now() + ".json");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result) + "\n");
        System.out.println();
        table.forEach(System.out::println);
        System.out.println();
        System.out.println("results written to " + out);
    }

    /**
     * Makes the running dump-worker and orchestrator the ones with these settings: a service whose settings differ
     * is stopped and a new instance (a real process, {@link DevStack#newService}) started in its place. Nothing
     * runs meanwhile: every job of a run is deleted before the next one.
     */
    private void useServices(Map<String, String> workerProps, Map<String, String> orchestratorProps) {
        if (!orchestratorProps.equals(orchestratorProperties)) {
            log("orchestrator: restarting with %s", orchestratorProps);
            orchestrator.stop();
            orchestrator = stack.newService(DmsService.JOB_ORCHESTRATOR, "job-orchestrator-" + (++serviceGeneration),
                    orchestratorProps).start();
            orchestratorProperties = Map.copyOf(orchestratorProps);
        }
        if (dumpWorker == null || !workerProps.equals(dumpWorkerProperties)) {
            if (dumpWorker != null) {
                dumpWorker.stop();
            }
            String name = dumpWorker == null ? "dump-worker" : "dump-worker-" + (++serviceGeneration);
            log("%s: starting%s", name, workerProps.isEmpty() ? "" : " with " + workerProps);
            dumpWorker = stack.newService(DmsService.DUMP_WORKER, name, workerProps).start();
            dumpWorkerProperties = Map.copyOf(workerProps);
            warmUpPending = true;
        }
    }

    /**
     * One untimed job over a small database after a dump-worker (re)started: a production worker is long-lived, so
     * its JIT compilation and first connections are not part of a dump's time.
     */
    private void warmUp() throws Exception {
        if (!warmUpPending || !options.warmUp()) {
            return;
        }
        warmUpPending = false;
        PgCluster src = stack.source();
        if (!"1".equals(src.queryForString("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + WARM_UP_DB + "'"))) {
            src.createDatabase(WARM_UP_DB);
            exec(List.of(bin("pgbench"), "-i", "-s", "2", "-q", "-h", "127.0.0.1", "-p", String.valueOf(src.port()),
                    "-U", PgCluster.USER, WARM_UP_DB), runDir("dataset").resolve("pgbench-warm-up.log"));
        }
        String id = "fd-warm-up-" + (++jobCounter);
        log("warm-up of %s: job %s over a %s database (untimed)", dumpWorker.name(), id, WARM_UP_DB);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("source", SOURCE_PROFILE);
        body.put("destination", DESTINATION_PROFILE);
        body.put("databases", List.of(WARM_UP_DB));
        body.put("dumpParallelism", options.parallelism());
        BenchApi.Reply created = api.post("/v1/migration-jobs", body);
        if (created.status() != 200 && created.status() != 202) {
            throw new BenchFailure("create job " + id + ": " + created.status() + " " + created.text());
        }
        jobs.awaitJob(id, j -> "NOT_STARTED".equals(j.path("state").asText()), Duration.ofSeconds(30), "NOT_STARTED");
        api.post("/v1/migration-jobs/" + id + ":start", null);
        JsonNode job = jobs.awaitJob(id, j -> ("RUNNING".equals(j.path("state").asText()) && "CDC".equals(j.path("phase").asText()))
                || j.path("state").asText().startsWith("FAILED"), Duration.ofMinutes(5), "RUNNING/CDC");
        if (!"RUNNING".equals(job.path("state").asText())) {
            throw new BenchFailure("warm-up job " + id + " failed: " + job);
        }
        jobs.deleteJob(id, job, WARM_UP_DB);
    }

    private List<String> run(Map<String, Object> result) throws Exception {
        jobs.awaitApi();
        jobs.createProfile(SOURCE_PROFILE, stack.source());
        jobs.createProfile(DESTINATION_PROFILE, stack.destination());
        result.put("dataset", createDataset());
        result.put("settings", settings());
        if (options.statementLog()) {
            // Every statement on the destination with its duration: the same per-phase view (pre-data, copy, indexes
            // and constraints, sequences) of every tool. A few hundred lines per run; costs nothing measurable.
            PgCluster dst = stack.destination();
            dst.execute("postgres", "ALTER SYSTEM SET log_min_duration_statement = 0");
            dst.execute("postgres", "ALTER SYSTEM SET log_line_prefix = '%m [%p] %d '");
            dst.execute("postgres", "ALTER SYSTEM SET log_timezone = 'UTC'");
            dst.execute("postgres", "SELECT pg_reload_conf()");
        }

        for (int rep = 1; rep <= options.reps(); rep++) {
            for (String tool : options.tools()) {
                log("repetition %d/%d: %s", rep, options.reps(), tool);
                if (tool.equals("ours")) {
                    warmUp();
                }
                Map<String, Object> quiet = awaitQuiet();
                Map<String, Object> r = switch (tool) {
                    case "ours" -> runOurs(rep, options.parallelism());
                    case "pgcopydb" -> runPgcopydb(rep);
                    case "pgdump" -> runPgDump(rep);
                    case "limit" -> runLimit(rep);
                    default -> throw new IllegalStateException(tool);
                };
                r.put("quietWait", quiet);
                runs.computeIfAbsent(tool, k -> new ArrayList<>()).add(r);
                log("%s rep %d: %.1f s %s", tool, rep, (Double) r.get("seconds"), loadNote(r));
            }
        }
        List<Map<String, Object>> variantsDone = new ArrayList<>();
        for (Variant v : options.variants()) {
            Map<String, String> worker = new LinkedHashMap<>(options.workerProperties());
            worker.putAll(v.workerProperties());
            Map<String, String> orch = new LinkedHashMap<>(options.orchestratorProperties());
            orch.putAll(v.orchestratorProperties());
            useServices(worker, orch);
            String level = v.parallelism() != null ? v.parallelism() : options.parallelism();
            for (int i = 1; i <= options.variantRuns(); i++) {
                log("variant %s (%s), run %d/%d", v.label(), v.describe(), i, options.variantRuns());
                warmUp();
                Map<String, Object> quiet = awaitQuiet();
                Map<String, Object> r = runOurs(i, level);
                r.put("quietWait", quiet);
                r.put("variant", v.describe());
                runs.computeIfAbsent("ours:" + v.label(), k -> new ArrayList<>()).add(r);
                log("ours:%s %d: %.1f s %s", v.label(), i, (Double) r.get("seconds"), loadNote(r));
            }
            variantsDone.add(v.describe());
        }
        useServices(options.workerProperties(), options.orchestratorProperties());
        result.put("variants", variantsDone);
        Map<String, Object> services = new LinkedHashMap<>();
        services.put("started", "job-orchestrator, job-api (devstack startServices), dump-worker (devstack newService); all"
                + " real processes from the build snapshot; the cdc-worker is not started (not on the measured path)");
        services.put("dumpWorkerProperties", options.workerProperties());
        services.put("orchestratorProperties", options.orchestratorProperties());
        result.put("services", services);

        Map<String, Object> summary = new LinkedHashMap<>();
        runs.forEach((tool, list) -> summary.put(tool, summary(list)));
        result.put("summary", summary);
        Map<String, Object> ratios = ratios();
        result.put("ratios", ratios);
        result.put("goals", goals());
        Map<String, Object> breakdowns = new LinkedHashMap<>();
        runs.forEach((tool, list) -> {
            if (tool.startsWith("ours")) {
                breakdowns.put(tool, breakdownMedian(list));
            }
        });
        if (breakdowns.containsKey("ours")) {
            result.put("oursBreakdownMedian", breakdowns.get("ours"));
        }
        result.put("breakdownMedians", breakdowns);
        Map<String, Object> phases = new LinkedHashMap<>();
        runs.forEach((tool, list) -> phases.put(tool, phasesMedian(list)));
        result.put("destinationPhaseMedians", phases);
        result.put("runs", runs);
        result.put("notes", List.of(
                "seconds: wall time of the whole migration of the data set into a fresh destination database, schema and"
                        + " indexes included; ours: from the :start call until GET shows RUNNING/CDC",
                "median of an even count is the mean of the middle two",
                "run cores / CPU s: CPU used by this run's processes (bench and its tools, broker, services, PostgreSQL"
                        + " servers and backends) during the timed run, in cores and in CPU seconds; on a shared machine the CPU"
                        + " seconds compare tools' work better than wall time",
                "machineLoad: CPU used during the run, in cores: machine, this run (bench JVM and its children, broker,"
                        + " services, PostgreSQL) and other processes; otherCores above ~0.1 means a shared machine slowed the run",
                "limit: two parallel psql COPY (FORMAT binary) pipelines between pre-data (pg_dump | psql) and post-data"
                        + " (pg_dump -Fc --section=post-data, pg_restore -j 2); "
                        + (options.limitSplit() ? "each stream half of every big table by primary key (--limit-split)"
                        : "whole tables, biggest first onto the less loaded stream, each TRUNCATE + COPY FREEZE in one transaction"),
                "destinationPhases: from the destination server's statement log (log_min_duration_statement = 0), seconds"
                        + " from the run's start: for each kind of statement (preData: CREATE/ALTER/COMMENT before the first COPY; copy: COPY FROM"
                        + " STDIN; index: CREATE INDEX; constraint: ALTER TABLE ADD CONSTRAINT (primary keys build their index"
                        + " here); sequences: setval; vacuum: VACUUM/ANALYZE) the first start, last end, span and the sum of"
                        + " the statements' durations (busy seconds; above the span when statements ran in parallel)"));
        return table(result);
    }

    // ---------------------------------------------------------------- dataset

    private Map<String, Object> createDataset() throws Exception {
        PgCluster src = stack.source();
        src.createDatabase(DB);
        Path logs = runDir("dataset");
        long t0 = System.nanoTime();
        log("dataset: pgbench -i -s %d", options.scale());
        exec(List.of(bin("pgbench"), "-i", "-s", String.valueOf(options.scale()), "-q", "-h", "127.0.0.1",
                "-p", String.valueOf(src.port()), "-U", PgCluster.USER, DB), logs.resolve("pgbench.log"));
        int noteRepeat = 3;
        long dbBytes;
        while (true) {
            log("dataset: wide, %d rows (note = %d md5s)", options.wideRows(), noteRepeat);
            src.execute(DB, "DROP TABLE IF EXISTS wide");
            src.execute(DB, "CREATE TABLE wide (id bigint PRIMARY KEY, doc jsonb, amount numeric(14,4), note text, at timestamptz)");
            src.execute(DB, """
                    INSERT INTO wide
                    SELECT g,
                           jsonb_build_object('k', 'key-' || (g %% 5000), 'n', g, 'h', md5(g::text),
                                              'tags', jsonb_build_array('a' || (g %% 7), 'b' || (g %% 11)), 'ok', g %% 3 = 0),
                           ((g::bigint * 7919) %% 1000000000)::numeric / 10000,
                           %s || ' note ' || g,
                           timestamptz '2020-01-01 00:00:00+00' + g * interval '17 seconds'
                    FROM generate_series(1, %d) g
                    """.formatted(noteExpression(noteRepeat), options.wideRows()));
            src.execute(DB, "CREATE INDEX wide_at ON wide (at)");
            src.execute(DB, "CREATE INDEX wide_doc_k ON wide ((doc->>'k'))");
            src.execute(DB, "VACUUM ANALYZE");
            dbBytes = Long.parseLong(src.queryForString(DB, "SELECT pg_database_size(current_database())"));
            log("dataset: database %s is %.0f MB", DB, dbBytes / 1e6);
            if (dbBytes >= options.minDbMb() * 1_000_000 || noteRepeat >= 30) {
                break;
            }
            noteRepeat += 2;
        }
        if (dbBytes < options.minDbMb() * 1_000_000) {
            throw new BenchFailure("the data set is only " + dbBytes / 1_000_000 + " MB");
        }
        tables = listTables(src);
        sourceIndexes = indexes(src);
        log("dataset: checksums of the source tables");
        sourceChecksums = checksums(src);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("database", DB);
        d.put("databaseBytes", dbBytes);
        d.put("databaseMB", Math.round(dbBytes / 1e6));
        d.put("pgbenchScale", options.scale());
        d.put("wideRows", options.wideRows());
        d.put("wideNoteMd5s", noteRepeat);
        d.put("wideDefinition", "wide (id bigint primary key, doc jsonb, amount numeric(14,4), note text, at timestamptz);"
                + " indexes wide_at (at), wide_doc_k ((doc->>'k'))");
        List<Map<String, Object>> t = new ArrayList<>();
        for (Table table : tables) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", table.name());
            m.put("rows", table.rows());
            m.put("heapMB", Math.round(table.heapBytes() / 1e5) / 10.0);
            m.put("totalMB", Math.round(table.totalBytes() / 1e5) / 10.0);
            m.put("key", table.key());
            t.add(m);
        }
        d.put("tables", t);
        d.put("indexes", sourceIndexes);
        d.put("createSeconds", round1((System.nanoTime() - t0) / 1e9));
        return d;
    }

    /** n md5 strings of 32 hex digits, space separated: a text column of 33 n bytes, different in every row. */
    private static String noteExpression(int n) {
        List<String> parts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            parts.add("md5((g * 31 + " + i + ")::text)");
        }
        return String.join(" || ' ' || ", parts);
    }

    private static List<Table> listTables(PgCluster cluster) throws SQLException {
        List<Table> list = new ArrayList<>();
        try (Connection c = cluster.connect(DB); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT c.relname,
                       ARRAY(SELECT a.attname FROM pg_index i
                             CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                             WHERE i.indrelid = c.oid AND i.indisprimary ORDER BY k.ord) AS pk,
                       pg_table_size(c.oid), pg_total_relation_size(c.oid)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r'
                ORDER BY pg_table_size(c.oid) DESC, c.relname
                """)) {
            while (rs.next()) {
                list.add(new Table(rs.getString(1), Arrays.asList((String[]) rs.getArray(2).getArray()), 0,
                        rs.getLong(3), rs.getLong(4)));
            }
        }
        List<Table> counted = new ArrayList<>();
        for (Table t : list) {
            long rows = Long.parseLong(cluster.queryForString(DB, "SELECT count(*) FROM public." + quote(t.name())));
            counted.add(new Table(t.name(), t.key(), rows, t.heapBytes(), t.totalBytes()));
        }
        return counted;
    }

    private static Set<String> indexes(PgCluster cluster) {
        String list = cluster.queryForString(DB,
                "SELECT string_agg(tablename || '.' || indexname, ',' ORDER BY tablename, indexname) FROM pg_indexes WHERE schemaname = 'public'");
        return list == null ? Set.of() : new TreeSet<>(Arrays.asList(list.split(",")));
    }

    private Map<String, TableChecksum.Checksum> checksums(PgCluster cluster) throws SQLException {
        Map<String, TableChecksum.Checksum> sums = new TreeMap<>();
        try (Connection c = cluster.connect(DB)) {
            for (Table t : tables) {
                sums.put(t.name(), TableChecksum.of(c, "public", t.name(), t.key()));
            }
        }
        return sums;
    }

    // ---------------------------------------------------------------- runs

    /** Ours: a job through the REST API, timed from :start to RUNNING/CDC; verified; then deleted with its destination. */
    private Map<String, Object> runOurs(int rep, String level) throws Exception {
        warmUp();
        String id = "fd-" + (++jobCounter) + "-" + level.toLowerCase();
        freshDestination(false);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("displayName", "full-dump bench " + id);
        body.put("source", SOURCE_PROFILE);
        body.put("destination", DESTINATION_PROFILE);
        body.put("databases", List.of(DB));
        body.put("dumpParallelism", level);
        BenchApi.Reply created = api.post("/v1/migration-jobs", body);
        if (created.status() != 200 && created.status() != 202) {
            throw new BenchFailure("create job " + id + ": " + created.status() + " " + created.text());
        }
        jobs.awaitJob(id, j -> "NOT_STARTED".equals(j.path("state").asText()), Duration.ofSeconds(30), "NOT_STARTED");

        MachineLoad.Mark m0 = MachineLoad.mark(workDir);
        long wall0 = System.currentTimeMillis();
        long t0 = System.nanoTime();
        BenchApi.Reply started = api.post("/v1/migration-jobs/" + id + ":start", null);
        if (started.status() != 200 && started.status() != 202) {
            throw new BenchFailure("start " + id + ": " + started.status() + " " + started.text());
        }
        JsonNode job;
        String last = "";
        List<Map<String, Object>> transitions = new ArrayList<>();
        while (true) {
            job = api.get("/v1/migration-jobs/" + id).json();
            String state = job == null ? "?" : job.path("state").asText();
            String phase = job == null ? "" : job.path("phase").asText("");
            String status = state + "/" + phase;
            if (!status.equals(last)) {
                transitions.add(Map.of("status", status, "atSeconds", round2((System.nanoTime() - t0) / 1e9)));
                last = status;
            }
            if ("RUNNING".equals(state) && "CDC".equals(phase)) {
                break;
            }
            if (state.startsWith("FAILED") || "DELETED".equals(state)) {
                throw new BenchFailure("job " + id + " is " + status + ": " + job);
            }
            if (System.nanoTime() - t0 > RUN_TIMEOUT.toNanos()) {
                throw new BenchFailure("job " + id + " not RUNNING/CDC after " + RUN_TIMEOUT + ": " + job);
            }
            sleep(100);
        }
        long t1 = System.nanoTime();
        long wall1 = System.currentTimeMillis();
        MachineLoad.Mark m1 = MachineLoad.mark(workDir);
        double seconds = (t1 - t0) / 1e9;

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tool", "ours");
        r.put("rep", rep);
        r.put("jobId", id);
        r.put("dumpParallelism", level);
        r.put("seconds", round2(seconds));
        r.put("transitions", transitions);
        r.put("breakdown", breakdown(id, wall0, wall1));
        r.put("progress", job.path("databaseProgress"));
        r.put("machineLoad", MachineLoad.between(m0, m1));
        r.put("destinationPhases", destinationPhases(wall0, wall1));
        log("ours %s: %.1f s; verifying", id, seconds);
        r.put("verification", verify(true));
        jobs.deleteJob(id, job, DB);
        return r;
    }

    /**
     * Where the time of one of our runs went, from the dump-worker's log: the prepare step (its own duration, and
     * from :start until it was done, which adds the command's and the task's hops), the copies (each unit's line;
     * from the end of prepare to the last copy), post-data, and what is left until the API showed RUNNING/CDC.
     */
    private Map<String, Object> breakdown(String jobId, long wallStart, long wallEnd) {
        Path logFile = dumpWorker.logFile();
        String tag = jobId + "/" + DB;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String[]> lines = new ArrayList<>();
        while (true) {
            lines.clear();
            try (Stream<String> s = Files.lines(logFile)) {
                s.forEach(l -> {
                    Matcher m = LOG_LINE.matcher(l);
                    if (m.matches() && (m.group(3).contains(" " + tag + " ") || m.group(3).contains(" " + tag + ":"))) {
                        lines.add(new String[] {m.group(1), m.group(2), m.group(3)});
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                throw new BenchFailure("cannot read " + logFile + ": " + e);
            }
            if (lines.stream().anyMatch(l -> l[2].startsWith("Post-data of")) || System.nanoTime() > deadline) {
                break;
            }
            sleep(200);
        }
        Pattern prepared = Pattern.compile("^Prepared \\S+ in (\\d+) ms: .*?(\\d+) tables in (\\d+) copy units.*");
        Pattern copied = Pattern.compile("^Copied \\S+ (\\S+) \\((.*)\\): (\\d+) rows, ([\\d.]+) MB in (\\d+) ms \\((\\w+), ([\\d.]+) MB/s\\)");
        Pattern post = Pattern.compile("^Post-data of \\S+ done in (\\d+) ms \\((\\d+) parallel jobs\\), (\\d+) sequences synced");
        Map<String, Object> b = new LinkedHashMap<>();
        long preparedAt = -1;
        long prepareMs = -1;
        long postEndAt = -1;
        long postMs = -1;
        long firstCopyStart = Long.MAX_VALUE;
        long lastCopyEnd = -1;
        long unitMsSum = 0;
        double mb = 0;
        List<Map<String, Object>> units = new ArrayList<>();
        for (String[] l : lines) {
            long at = LocalDateTime.parse(l[0], LOG_TIME).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            Matcher m;
            if ((m = prepared.matcher(l[2])).matches()) {
                preparedAt = at;
                prepareMs = Long.parseLong(m.group(1));
                b.put("tables", Integer.parseInt(m.group(2)));
                b.put("copyUnits", Integer.parseInt(m.group(3)));
            } else if ((m = copied.matcher(l[2])).matches()) {
                long ms = Long.parseLong(m.group(5));
                firstCopyStart = Math.min(firstCopyStart, at - ms);
                lastCopyEnd = Math.max(lastCopyEnd, at);
                unitMsSum += ms;
                mb += Double.parseDouble(m.group(4));
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("table", m.group(1));
                u.put("range", m.group(2));
                u.put("rows", Long.parseLong(m.group(3)));
                u.put("mb", Double.parseDouble(m.group(4)));
                u.put("ms", ms);
                u.put("format", m.group(6));
                u.put("mbPerSecond", Double.parseDouble(m.group(7)));
                u.put("startSeconds", round2((at - ms - wallStart) / 1000.0));
                u.put("endSeconds", round2((at - wallStart) / 1000.0));
                u.put("thread", l[1]);
                units.add(u);
            } else if ((m = post.matcher(l[2])).matches()) {
                postEndAt = at;
                postMs = Long.parseLong(m.group(1));
                b.put("postDataParallelJobs", Integer.parseInt(m.group(2)));
            }
        }
        if (preparedAt < 0 || postEndAt < 0 || units.isEmpty()) {
            b.put("incomplete", "missing lines in " + logFile + " for " + tag + ": " + lines.size() + " found");
            return b;
        }
        long postStart = postEndAt - postMs;
        // Hand-overs: a unit's COPIED report -> orchestrator -> the next task -> a worker starts it. For each unit
        // that did not start with the first wave, the time from the latest end of another unit before its start.
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        for (Map<String, Object> u : units) {
            starts.add(Math.round(((Number) u.get("startSeconds")).doubleValue() * 1000));
            ends.add(Math.round(((Number) u.get("endSeconds")).doubleValue() * 1000));
        }
        List<Long> gaps = new ArrayList<>();
        for (long st : starts) {
            long before = ends.stream().filter(e -> e <= st).max(Long::compare).orElse(-1L);
            if (before >= 0) {
                gaps.add(st - before);
            }
        }
        b.put("startToPrepareBeginMs", preparedAt - prepareMs - wallStart);
        b.put("unitHandOverGapsMs", gaps);
        b.put("prepareWorkerMs", prepareMs);
        b.put("startToPreparedMs", preparedAt - wallStart);
        b.put("preparedToFirstCopyMs", firstCopyStart - preparedAt);
        b.put("copyPhaseMs", lastCopyEnd - preparedAt);
        b.put("copyUnitMsSum", unitMsSum);
        b.put("copiedMB", round1(mb));
        b.put("copyMBPerSecond", round1(mb / Math.max(1, lastCopyEnd - firstCopyStart) * 1000));
        b.put("lastCopyToPostDataMs", postStart - lastCopyEnd);
        b.put("postDataWorkerMs", postMs);
        b.put("postDataEndToRunningCdcMs", wallEnd - postEndAt);
        // The three phases the issue asks for, adding up to the run: prepare (start .. prepared), copy (prepared ..
        // last copy), post-data (last copy .. RUNNING/CDC seen, i.e. hops + post-data + report).
        b.put("prepareMs", preparedAt - wallStart);
        b.put("copyMs", lastCopyEnd - preparedAt);
        b.put("postDataMs", wallEnd - lastCopyEnd);
        b.put("units", units);
        return b;
    }

    private static final Pattern STATEMENT_LOG = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) UTC \\[\\d+] (\\S*) LOG:  duration: ([\\d.]+) ms  (?:statement|execute [^:]*): (.*)$");
    private static final DateTimeFormatter PG_LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final List<String> PHASES = List.of("preData", "copy", "index", "constraint", "sequences", "vacuum", "other");

    /**
     * What the destination did during a run, from its statement log: per kind of statement, the first start, the
     * last end (seconds from the run's start), the span and the summed durations. Empty without the statement log.
     */
    private Map<String, Object> destinationPhases(long wallStart, long wallEnd) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!options.statementLog()) {
            return out;
        }
        sleep(300); // the server writes its log line as the statement ends; let the last ones land
        Path logFile = stack.destination().logFile();
        Map<String, double[]> acc = new LinkedHashMap<>(); // kind -> {count, sumMs, firstStartMs, lastEndMs}
        List<double[]> others = new ArrayList<>(); // {start, end} of unclassified statements, split into pre-data later
        double firstCopy = Double.MAX_VALUE;
        List<String[]> statements = new ArrayList<>(); // {end time, duration ms, statement text (all its lines)}
        try (Stream<String> lines = Files.lines(logFile)) {
            String[] current = null;
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher m = STATEMENT_LOG.matcher(line);
                if (m.matches()) {
                    current = DB.equals(m.group(2)) ? new String[] {m.group(1), m.group(3), m.group(4)} : null;
                    if (current != null) {
                        statements.add(current);
                    }
                } else if (current != null && (line.startsWith("\t") || line.startsWith(" ")) && current[2].length() < 2000) {
                    current[2] = current[2] + " " + line.trim(); // a statement's next lines (pg_restore writes ADD CONSTRAINT on the second)
                } else if (!line.startsWith("\t")) {
                    current = null;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            out.put("error", "cannot read " + logFile + ": " + e);
            return out;
        }
        for (String[] st : statements) {
            long end = LocalDateTime.parse(st[0], PG_LOG_TIME).atZone(ZoneId.of("UTC")).toInstant().toEpochMilli();
            double ms = Double.parseDouble(st[1]);
            double start = end - ms;
            if (end < wallStart || start > wallEnd) {
                continue;
            }
            String kind = statementKind(st[2]);
            double s = start - wallStart;
            double e = end - wallStart;
            if (kind.equals("copy")) {
                firstCopy = Math.min(firstCopy, s);
            }
            if (kind.equals("other")) {
                others.add(new double[] {s, e, ms, isDdl(st[2]) ? 1 : 0});
                continue;
            }
            add(acc, kind, s, e, ms);
        }
        for (double[] o : others) {
            add(acc, o[3] == 1 && o[1] <= firstCopy ? "preData" : "other", o[0], o[1], o[2]);
        }
        for (String kind : PHASES) {
            double[] a = acc.get(kind);
            if (a == null) {
                continue;
            }
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("statements", (long) a[0]);
            k.put("fromSeconds", round2(a[2] / 1000));
            k.put("toSeconds", round2(a[3] / 1000));
            k.put("spanSeconds", round2((a[3] - a[2]) / 1000));
            k.put("busySeconds", round2(a[1] / 1000));
            out.put(kind, k);
        }
        return out;
    }

    private static void add(Map<String, double[]> acc, String kind, double start, double end, double ms) {
        double[] a = acc.computeIfAbsent(kind, k -> new double[] {0, 0, Double.MAX_VALUE, -Double.MAX_VALUE});
        a[0]++;
        a[1] += ms;
        a[2] = Math.min(a[2], start);
        a[3] = Math.max(a[3], end);
    }

    static String statementKind(String statement) {
        String s = statement.trim().toUpperCase();
        if (s.startsWith("COPY ") && s.contains("FROM STDIN")) {
            return "copy";
        }
        if (s.startsWith("CREATE INDEX") || s.startsWith("CREATE UNIQUE INDEX")) {
            return "index";
        }
        if (s.startsWith("ALTER TABLE") && s.contains("ADD CONSTRAINT")) {
            return "constraint";
        }
        if (s.contains("SETVAL(")) {
            return "sequences";
        }
        if (s.startsWith("VACUUM") || s.startsWith("ANALYZE")) {
            return "vacuum";
        }
        return "other";
    }

    /** Schema statements (pre-data is CREATE and ALTER of tables, sequences, types, functions; plus comments). */
    private static boolean isDdl(String statement) {
        String s = statement.trim().toUpperCase();
        return s.startsWith("CREATE ") || s.startsWith("ALTER ") || s.startsWith("COMMENT ");
    }

    /** Medians of the per-phase spans and busy times over a tool's runs. */
    private static Map<String, Object> phasesMedian(List<Map<String, Object>> list) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String kind : PHASES) {
            for (String what : List.of("spanSeconds", "busySeconds", "fromSeconds", "toSeconds")) {
                List<Double> v = new ArrayList<>();
                for (Map<String, Object> r : list) {
                    Object p = r.get("destinationPhases") instanceof Map<?, ?> phases && phases.get(kind) instanceof Map<?, ?> k
                            ? k.get(what) : null;
                    if (p instanceof Number n) {
                        v.add(n.doubleValue());
                    }
                }
                if (!v.isEmpty()) {
                    m.put(kind + "." + what, round2(Stats.median(v)));
                }
            }
        }
        return m;
    }

    /**
     * The machine is shared: before a timed run, wait (up to --quiet-wait seconds) until other processes use less
     * than {@value #QUIET_CORES} cores over a 3 s window. Returns how long it waited and the last window's load.
     */
    private Map<String, Object> awaitQuiet() {
        Map<String, Object> q = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Map<String, Object> window = Map.of();
        boolean quiet = false;
        if (options.quietWaitSeconds() > 0) {
            long deadline = t0 + TimeUnit.SECONDS.toNanos(options.quietWaitSeconds());
            boolean said = false;
            while (true) {
                MachineLoad.Mark a = MachineLoad.mark(workDir);
                sleep(3000);
                window = MachineLoad.between(a, MachineLoad.mark(workDir));
                quiet = ((Number) window.get("otherCores")).doubleValue() < QUIET_CORES;
                if (quiet || System.nanoTime() > deadline) {
                    break;
                }
                if (!said) {
                    log("waiting up to %d s for a quieter machine: others use %s cores", options.quietWaitSeconds(), window.get("otherCores"));
                    said = true;
                }
            }
        }
        q.put("waitedSeconds", round1((System.nanoTime() - t0) / 1e9));
        q.put("quiet", quiet);
        q.put("otherCoresBefore", window.get("otherCores"));
        return q;
    }

    private static String loadNote(Map<String, Object> r) {
        if (!(r.get("machineLoad") instanceof Map<?, ?> m)) {
            return "";
        }
        double other = ((Number) m.get("otherCores")).doubleValue();
        return String.format("(CPU: this run %.2f cores, others %.2f cores%s)", ((Number) m.get("thisRunCores")).doubleValue(),
                other, other > QUIET_CORES ? ", NOT QUIET" : "");
    }



    /** pgcopydb clone --table-jobs 2 --index-jobs 2 into an empty database. */
    private Map<String, Object> runPgcopydb(int rep) throws Exception {
        freshDestination(true);
        Path dir = runDir("pgcopydb-" + rep);
        List<String> cmd = new ArrayList<>(List.of("pgcopydb", "clone",
                "--source", stack.source().libpqUrl(DB), "--target", stack.destination().libpqUrl(DB),
                "--table-jobs", "2", "--index-jobs", "2", "--dir", dir.resolve("work").toString()));
        cmd.addAll(options.pgcopydbFlags());
        MachineLoad.Mark m0 = MachineLoad.mark(workDir);
        long wall0 = System.currentTimeMillis();
        long t0 = System.nanoTime();
        exec(cmd, dir.resolve("pgcopydb.log"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        long wall1 = System.currentTimeMillis();
        MachineLoad.Mark m1 = MachineLoad.mark(workDir);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tool", "pgcopydb");
        r.put("rep", rep);
        r.put("seconds", round2(seconds));
        r.put("command", String.join(" ", cmd).replace(PgCluster.PASSWORD + "@", "***@"));
        r.put("machineLoad", MachineLoad.between(m0, m1));
        r.put("destinationPhases", destinationPhases(wall0, wall1));
        r.put("verification", verify(rep == 1));
        return r;
    }

    /** pg_dump -Fd -j 2, then pg_restore -j 2 into an empty database. */
    private Map<String, Object> runPgDump(int rep) throws Exception {
        freshDestination(true);
        Path dir = runDir("pgdump-" + rep);
        Path dump = dir.resolve("dump");
        MachineLoad.Mark m0 = MachineLoad.mark(workDir);
        long wall0 = System.currentTimeMillis();
        long t0 = System.nanoTime();
        exec(List.of(bin("pg_dump"), "-Fd", "-j", "2", "-f", dump.toString(), "-d", stack.source().libpqUrl(DB)),
                dir.resolve("pg_dump.log"));
        long t1 = System.nanoTime();
        exec(List.of(bin("pg_restore"), "-j", "2", "-d", stack.destination().libpqUrl(DB), dump.toString()),
                dir.resolve("pg_restore.log"));
        long t2 = System.nanoTime();
        long wall1 = System.currentTimeMillis();
        MachineLoad.Mark m1 = MachineLoad.mark(workDir);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tool", "pgdump");
        r.put("rep", rep);
        r.put("seconds", round2((t2 - t0) / 1e9));
        r.put("dumpSeconds", round2((t1 - t0) / 1e9));
        r.put("restoreSeconds", round2((t2 - t1) / 1e9));
        r.put("dumpMB", round1(treeSize(dump) / 1e6));
        r.put("command", "pg_dump -Fd -j 2 -f DIR bench; pg_restore -j 2 -d TARGET DIR (default compression: gzip)");
        r.put("machineLoad", MachineLoad.between(m0, m1));
        r.put("destinationPhases", destinationPhases(wall0, wall1));
        RunInfo.deleteTree(dump);
        r.put("verification", verify(rep == 1));
        return r;
    }

    /**
     * The practical limit: pre-data, then two parallel binary COPY pipelines (psql to psql), then post-data with
     * pg_restore -j 2. Each stream takes one half of each big table by primary key; stream 2 also the small ones.
     */
    private Map<String, Object> runLimit(int rep) throws Exception {
        freshDestination(true);
        Path dir = runDir("limit-" + rep);
        String src = stack.source().libpqUrl(DB);
        String dst = stack.destination().libpqUrl(DB);
        List<List<String>> streams = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<String>> streamTables = List.of(new ArrayList<>(), new ArrayList<>());
        if (options.limitSplit()) {
            // Each big table halved by primary key over the two streams (each half reads the whole table on the source).
            for (Table t : tables) {
                if (t.rows() >= 100_000 && t.key().size() == 1) {
                    String key = quote(t.key().get(0));
                    long mid = Long.parseLong(stack.source().queryForString(DB,
                            "SELECT (Stats.min(" + key + ")::numeric + (max(" + key + ")::numeric - Stats.min(" + key + ")::numeric + 1) / 2)::bigint FROM public." + quote(t.name())));
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
            for (Table t : tables) {
                int i = load[0] <= load[1] ? 0 : 1;
                load[i] += t.heapBytes();
                streams.get(i).add(copyPipeFreeze(src, dst, t.name()));
                streamTables.get(i).add(t.name());
            }
        }
        Path post = dir.resolve("post-data.dump");
        MachineLoad.Mark m0 = MachineLoad.mark(workDir);
        long wall0 = System.currentTimeMillis();
        long t0 = System.nanoTime();
        exec(List.of("bash", "-c", "set -euo pipefail; " + bin("pg_dump") + " --schema-only --section=pre-data -d '" + src
                + "' | " + bin("psql") + " -X -q -v ON_ERROR_STOP=1 -d '" + dst + "'"), dir.resolve("pre-data.log"));
        long t1 = System.nanoTime();
        List<Process> running = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            running.add(start(List.of("bash", "-c", "set -euo pipefail; " + String.join("; ", streams.get(i))),
                    dir.resolve("stream-" + (i + 1) + ".log")));
        }
        List<Double> streamSeconds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            await(running.get(i), dir.resolve("stream-" + (i + 1) + ".log"));
            streamSeconds.add(round2((System.nanoTime() - t1) / 1e9));
        }
        long t2 = System.nanoTime();
        exec(List.of(bin("pg_dump"), "--schema-only", "--section=post-data", "-Fc", "-f", post.toString(), "-d", src),
                dir.resolve("post-data-dump.log"));
        exec(List.of(bin("pg_restore"), "-j", "2", "-d", dst, post.toString()), dir.resolve("post-data-restore.log"));
        long t3 = System.nanoTime();
        long wall1 = System.currentTimeMillis();
        MachineLoad.Mark m1 = MachineLoad.mark(workDir);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tool", "limit");
        r.put("rep", rep);
        r.put("seconds", round2((t3 - t0) / 1e9));
        r.put("preDataSeconds", round2((t1 - t0) / 1e9));
        r.put("copySeconds", round2((t2 - t1) / 1e9));
        r.put("streamSeconds", streamSeconds);
        r.put("postDataSeconds", round2((t3 - t2) / 1e9));
        r.put("streams", streamTables);
        r.put("format", options.limitSplit() ? "binary, tables halved by primary key" : "binary, whole tables, TRUNCATE + COPY FREEZE");
        r.put("machineLoad", MachineLoad.between(m0, m1));
        r.put("destinationPhases", destinationPhases(wall0, wall1));
        r.put("verification", verify(rep == 1));
        return r;
    }

    private String copyPipeFreeze(String src, String dst, String table) {
        String q = "public." + quote(table);
        return bin("psql") + " -X -q -v ON_ERROR_STOP=1 -d '" + src + "' -c " + shellQuote("COPY " + q + " TO STDOUT (FORMAT binary)")
                + " | " + bin("psql") + " -X -q -v ON_ERROR_STOP=1 -d '" + dst + "' -c BEGIN -c " + shellQuote("TRUNCATE " + q)
                + " -c " + shellQuote("COPY " + q + " FROM STDIN (FORMAT binary, FREEZE)") + " -c COMMIT";
    }

    private String copyPipe(String src, String dst, String table, String condition) {
        String from = condition == null ? "public." + quote(table) : "(SELECT * FROM public." + quote(table) + " WHERE " + condition + ")";
        return bin("psql") + " -X -q -v ON_ERROR_STOP=1 -d '" + src + "' -c " + shellQuote("COPY " + from + " TO STDOUT (FORMAT binary)")
                + " | " + bin("psql") + " -X -q -v ON_ERROR_STOP=1 -d '" + dst + "' -c "
                + shellQuote("COPY public." + quote(table) + " FROM STDIN (FORMAT binary)");
    }

    /** Drops the destination database (and, for the other tools, creates it empty), then checkpoints both servers. */
    private void freshDestination(boolean create) {
        PgCluster dst = stack.destination();
        dst.execute("postgres", "DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        if (create) {
            dst.execute("postgres", "CREATE DATABASE " + DB);
        }
        dst.execute("postgres", "CHECKPOINT");
        stack.source().execute("postgres", "CHECKPOINT");
    }

    /** Rows and checksums (when {@code full}) of every table, and the index names, against the source. */
    private Map<String, Object> verify(boolean full) throws SQLException {
        PgCluster dst = stack.destination();
        Map<String, Object> v = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (full) {
            Map<String, TableChecksum.Checksum> sums = checksums(dst);
            for (Table t : tables) {
                TableChecksum.Checksum a = sourceChecksums.get(t.name());
                TableChecksum.Checksum b = sums.get(t.name());
                if (!a.equals(b)) {
                    problems.add(t.name() + ": source " + a + ", destination " + b);
                }
            }
        } else {
            for (Table t : tables) {
                long rows = Long.parseLong(dst.queryForString(DB, "SELECT count(*) FROM public." + quote(t.name())));
                if (rows != t.rows()) {
                    problems.add(t.name() + ": " + rows + " rows, source " + t.rows());
                }
            }
        }
        Set<String> idx = indexes(dst);
        if (!idx.equals(sourceIndexes)) {
            problems.add("indexes " + idx + ", source " + sourceIndexes);
        }
        v.put("checked", full ? "rows and md5 checksums of every table, index names" : "row counts of every table, index names");
        v.put("equal", problems.isEmpty());
        if (!problems.isEmpty()) {
            v.put("problems", problems);
            log("VERIFICATION FAILED: %s", problems);
        }
        return v;
    }

    // ---------------------------------------------------------------- results

    private static Map<String, Object> summary(List<Map<String, Object>> list) {
        Map<String, Object> s = new LinkedHashMap<>();
        List<Double> secs = list.stream().map(r -> (Double) r.get("seconds")).toList();
        s.put("n", secs.size());
        s.put("minSeconds", round2(Stats.min(secs)));
        s.put("medianSeconds", round2(Stats.median(secs)));
        s.put("seconds", secs);
        for (String part : List.of("dumpSeconds", "restoreSeconds", "preDataSeconds", "copySeconds", "postDataSeconds")) {
            List<Double> v = list.stream().filter(r -> r.containsKey(part)).map(r -> (Double) r.get(part)).toList();
            if (!v.isEmpty()) {
                s.put(part + "Median", round2(Stats.median(v)));
            }
        }
        s.put("allVerified", list.stream().allMatch(r -> Boolean.TRUE.equals(((Map<?, ?>) r.get("verification")).get("equal"))));
        // CPU seconds this run's processes spent: the work a tool needs, much less sensitive than wall time to what
        // else the machine runs (on a shared, saturated machine, wall time is roughly this over the cores we got).
        s.put("medianRunCpuSeconds", round1(Stats.median(list.stream()
                .map(r -> ((Number) ((Map<?, ?>) r.get("machineLoad")).get("thisRunCores")).doubleValue() * (Double) r.get("seconds"))
                .toList())));
        s.put("medianRunCores", round2(Stats.median(list.stream()
                .map(r -> ((Number) ((Map<?, ?>) r.get("machineLoad")).get("thisRunCores")).doubleValue()).toList())));
        s.put("maxOtherCores", list.stream().mapToDouble(r -> ((Number) ((Map<?, ?>) r.get("machineLoad")).get("otherCores")).doubleValue())
                .max().orElse(Double.NaN));
        return s;
    }

    private Map<String, Object> ratios() {
        Map<String, Object> ratios = new LinkedHashMap<>();
        for (String ours : runs.keySet()) {
            if (!ours.startsWith("ours")) {
                continue;
            }
            double oursMedian = Stats.median(secondsOf(ours));
            double oursMin = Stats.min(secondsOf(ours));
            for (String other : List.of("pgcopydb", "pgdump", "limit")) {
                if (runs.containsKey(other)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("median", round3(oursMedian / Stats.median(secondsOf(other))));
                    m.put("min", round3(oursMin / Stats.min(secondsOf(other))));
                    ratios.put(ours + "/" + other, m);
                }
            }
        }
        return ratios;
    }

    private Map<String, Object> goals() {
        Map<String, Object> g = new LinkedHashMap<>();
        if (runs.containsKey("ours") && runs.containsKey("pgcopydb")) {
            double r = Stats.median(secondsOf("ours")) / Stats.median(secondsOf("pgcopydb"));
            g.put("atLeastAsFastAsPgcopydb", Map.of("goal", "ours/pgcopydb <= " + GOAL_VS_PGCOPYDB, "medianRatio", round3(r),
                    "met", r <= GOAL_VS_PGCOPYDB));
        }
        if (runs.containsKey("ours") && runs.containsKey("limit")) {
            double r = Stats.median(secondsOf("ours")) / Stats.median(secondsOf("limit"));
            g.put("within125OfLimit", Map.of("goal", "ours/limit <= " + GOAL_VS_LIMIT, "medianRatio", round3(r),
                    "met", r <= GOAL_VS_LIMIT));
        }
        return g;
    }

    private static Map<String, Object> breakdownMedian(List<Map<String, Object>> list) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String key : List.of("prepareMs", "copyMs", "postDataMs", "startToPrepareBeginMs", "prepareWorkerMs", "startToPreparedMs",
                "preparedToFirstCopyMs", "copyUnitMsSum", "copyMBPerSecond", "lastCopyToPostDataMs", "postDataWorkerMs",
                "postDataEndToRunningCdcMs")) {
            List<Double> v = new ArrayList<>();
            for (Map<String, Object> r : list) {
                Object b = ((Map<?, ?>) r.get("breakdown")).get(key);
                if (b instanceof Number n) {
                    v.add(n.doubleValue());
                }
            }
            if (!v.isEmpty()) {
                m.put(key, round1(Stats.median(v)));
            }
        }
        return m;
    }

    private List<Double> secondsOf(String tool) {
        return runs.get(tool).stream().map(r -> (Double) r.get("seconds")).toList();
    }

    private List<String> table(Map<String, Object> result) {
        List<String> lines = new ArrayList<>();
        Map<?, ?> dataset = (Map<?, ?>) result.get("dataset");
        lines.add(String.format("== full dump of %s MB (pgbench -s %d + wide %d rows), %s ==", dataset.get("databaseMB"),
                options.scale(), options.wideRows(), ((Map<?, ?>) result.get("machine")).get("summary")));
        lines.add(String.format("%-44s %3s %8s %9s %10s %10s %9s %11s %8s", "tool", "n", "min s", "median s", "ours/tool",
                "verified", "run cores", "other cores", "CPU s"));
        double oursMedian = runs.containsKey("ours") ? Stats.median(secondsOf("ours")) : Double.NaN;
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("ours", "ours (dumpParallelism " + options.parallelism() + ")");
        for (Variant v : options.variants()) {
            labels.put("ours:" + v.label(), "ours:" + v.label() + " " + variantText(v));
        }
        labels.put("pgcopydb", "pgcopydb clone (2 table, 2 index jobs)");
        labels.put("pgdump", "pg_dump -Fd -j2 + pg_restore -j2");
        labels.put("limit", "limit: 2 COPY streams + post-data");
        Map<?, ?> summaries = (Map<?, ?>) result.get("summary");
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!runs.containsKey(e.getKey())) {
                continue;
            }
            List<Double> s = secondsOf(e.getKey());
            Map<?, ?> sum = (Map<?, ?>) summaries.get(e.getKey());
            String label = e.getValue().length() > 44 ? e.getValue().substring(0, 44) : e.getValue();
            lines.add(String.format("%-44s %3d %8.1f %9.1f %10s %10s %9.2f %11.2f %8.1f", label, s.size(), Stats.min(s), Stats.median(s),
                    e.getKey().equals("ours") ? "" : String.format("%.2f", oursMedian / Stats.median(s)), sum.get("allVerified"),
                    num(sum, "medianRunCores"), num(sum, "maxOtherCores"), num(sum, "medianRunCpuSeconds")));
        }
        if (runs.containsKey("pgdump")) {
            Map<?, ?> sum = (Map<?, ?>) summaries.get("pgdump");
            lines.add(String.format("  pg_dump median %.1f s, pg_restore median %.1f s", num(sum, "dumpSecondsMedian"),
                    num(sum, "restoreSecondsMedian")));
        }
        if (runs.containsKey("limit")) {
            Map<?, ?> sum = (Map<?, ?>) summaries.get("limit");
            lines.add(String.format("  limit medians: pre-data %.1f s, copy %.1f s, post-data %.1f s", num(sum, "preDataSecondsMedian"),
                    num(sum, "copySecondsMedian"), num(sum, "postDataSecondsMedian")));
        }
        if (result.containsKey("oursBreakdownMedian")) {
            Map<?, ?> b = (Map<?, ?>) result.get("oursBreakdownMedian");
            lines.add(String.format("  ours medians: prepare %.1f s (worker %.1f s), copy %.1f s (%.0f MB/s), post-data %.1f s"
                            + " (worker %.1f s), post-data end to RUNNING/CDC seen %.1f s", num(b, "prepareMs") / 1000,
                    num(b, "prepareWorkerMs") / 1000, num(b, "copyMs") / 1000, num(b, "copyMBPerSecond"), num(b, "postDataMs") / 1000,
                    num(b, "postDataWorkerMs") / 1000, num(b, "postDataEndToRunningCdcMs") / 1000));
        }
        Map<?, ?> phases = (Map<?, ?>) result.get("destinationPhaseMedians");
        if (phases != null && !phases.isEmpty()) {
            lines.add("  destination, median span (busy) in s:  pre-data      copy           index         constraint    sequences");
            for (Map.Entry<?, ?> e : phases.entrySet()) {
                Map<?, ?> p = (Map<?, ?>) e.getValue();
                StringBuilder sb = new StringBuilder(String.format("  %-38s", e.getKey()));
                for (String kind : List.of("preData", "copy", "index", "constraint", "sequences")) {
                    sb.append(String.format("%6.1f (%5.1f) ", num(p, kind + ".spanSeconds"), num(p, kind + ".busySeconds")));
                }
                lines.add(sb.toString().replace("NaN", "  - "));
            }
        }
        Map<?, ?> goals = (Map<?, ?>) result.get("goals");
        goals.forEach((k, v) -> lines.add("  goal " + k + ": " + v));
        lines.add("  CPU per run (cores, this run / others):");
        runs.forEach((tool, list) -> lines.add("    " + tool + ": " + list.stream().map(r -> {
            Map<?, ?> m = (Map<?, ?>) r.get("machineLoad");
            return String.format("%.1f s %.2f/%.2f", (Double) r.get("seconds"), num(m, "thisRunCores"), num(m, "otherCores"));
        }).collect(Collectors.joining(", "))));
        return lines;
    }

    private static String variantText(Variant v) {
        List<String> parts = new ArrayList<>();
        if (v.parallelism() != null) {
            parts.add(v.parallelism());
        }
        v.workerProperties().forEach((k, val) -> parts.add(k.replace("dms.dump.", "") + "=" + val));
        v.orchestratorProperties().forEach((k, val) -> parts.add(k.replace("dms.dump.", "") + "=" + val));
        return String.join(" ", parts);
    }

    private static double num(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("dumpParallelism", options.parallelism() + " (copies in flight per job: MIN 1, OPTIMAL cores = "
                + Runtime.getRuntime().availableProcessors() + ", MAX 2 x cores); post-data pg_restore -j the same number");
        s.put("dumpWorker", "one instance; defaults dms.dump.max-concurrent-tasks=4, dms.dump.range-bytes=256 MiB; set here: "
                + options.workerProperties());
        s.put("orchestrator", "set here: " + options.orchestratorProperties());
        s.put("pgcopydb", "pgcopydb clone --table-jobs 2 --index-jobs 2 " + String.join(" ", options.pgcopydbFlags()));
        s.put("clusters", "PostgreSQL " + stack.source().queryForString("postgres", "SHOW server_version")
                + ", devstack defaults (fsync=off, shared_buffers " + stack.source().queryForString("postgres", "SHOW shared_buffers")
                + ", maintenance_work_mem " + stack.destination().queryForString("postgres", "SHOW maintenance_work_mem")
                + ", max_wal_size " + stack.destination().queryForString("postgres", "SHOW max_wal_size") + "); source wal_level=logical");
        s.put("order", "per repetition: " + String.join(", ", options.tools()) + "; each into a fresh destination database, after"
                + " a CHECKPOINT of both servers");
        return s;
    }

    // ---------------------------------------------------------------- processes

    private String bin(String tool) {
        return bindir.resolve(tool).toString();
    }

    private Process start(List<String> command, Path logFile) throws IOException {
        Files.createDirectories(logFile.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().put("PATH", bindir + ":" + System.getenv("PATH"));
        pb.environment().put("PGPASSWORD", PgCluster.PASSWORD);
        pb.environment().put("PGCONNECT_TIMEOUT", "10");
        pb.environment().put("TMPDIR", logFile.getParent().toString());
        return pb.start();
    }

    private void await(Process p, Path logFile) throws InterruptedException {
        if (!p.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new BenchFailure("timed out after " + RUN_TIMEOUT + ": see " + logFile + "\n" + tail(logFile));
        }
        if (p.exitValue() != 0) {
            throw new BenchFailure("exit " + p.exitValue() + ": " + logFile + "\n" + tail(logFile));
        }
    }

    private void exec(List<String> command, Path logFile) throws IOException, InterruptedException {
        await(start(command, logFile), logFile);
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private Path runDir(String name) throws IOException {
        Path dir = workDir.resolve("runs").resolve(name);
        Files.createDirectories(dir);
        return dir;
    }

    private static Path pgBindir() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.isExecutable(Path.of(out, "pg_dump"))) {
                return Path.of(out);
            }
        } catch (IOException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
            return dirs.map(d -> d.resolve("bin")).filter(d -> Files.isExecutable(d.resolve("pg_dump")))
                    .max(Comparator.comparing(d -> Integer.parseInt(d.getParent().getFileName().toString())))
                    .orElseThrow(() -> new BenchFailure("no PostgreSQL binaries found"));
        } catch (IOException e) {
            throw new BenchFailure("no PostgreSQL binaries found: " + e);
        }
    }

    private static Map<String, Object> toolVersions(Path bindir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pgcopydb", firstLine(List.of("pgcopydb", "--version"), "pgcopydb version"));
        m.put("pg_dump", firstLine(List.of(bindir.resolve("pg_dump").toString(), "--version"), "pg_dump"));
        m.put("psql", firstLine(List.of(bindir.resolve("psql").toString(), "--version"), "psql"));
        return m;
    }

    private static String firstLine(List<String> command, String prefix) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().filter(l -> l.contains(prefix)).findFirst().map(String::trim).orElse(out.trim());
        } catch (IOException e) {
            return "not found: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    // ---------------------------------------------------------------- API




    /** The REST API over HTTP/1.1, as a client calls it. */



    /** What else runs: the load average and the busiest processes that are not ours (a shared machine). */
    // ---------------------------------------------------------------- helpers

    private static long treeSize(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private static Map<String, Object> otherActivity() {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            m.put("loadavg", Files.readString(Path.of("/proc/loadavg")).trim());
        } catch (IOException e) {
            m.put("loadavg", null);
        }
        try {
            Process p = new ProcessBuilder("ps", "-eo", "pid,pcpu,etime,args", "--sort=-pcpu").redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines().skip(1)
                    .filter(l -> !l.contains("dms-fulldump-") && !l.contains("FullDumpBench"))
                    .limit(6).map(l -> l.length() > 160 ? l.substring(0, 160) : l).map(String::trim).collect(Collectors.toList());
            p.waitFor(5, TimeUnit.SECONDS);
            m.put("topProcesses", lines);
        } catch (IOException e) {
            m.put("topProcesses", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return m;
    }



    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    private static void sleep(long ms) {
        JobDriver.pause(ms);
    }

    private static void log(String format, Object... args) {
        System.out.printf("%tT full-dump bench: %s%n", System.currentTimeMillis(), String.format(format, args));
    }
}
