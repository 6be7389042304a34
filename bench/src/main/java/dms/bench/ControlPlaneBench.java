package dms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dms.bench.DmsClient.BenchException;
import dms.bench.DmsClient.Reply;
import dms.common.json.Json;
import dms.common.kafka.Topics;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.WorkerSignal;
import dms.devstack.DevStack;
import dms.devstack.DmsService;
import dms.devstack.PgCluster;
import dms.devstack.RepoRoot;
import dms.devstack.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Control-plane latency on the local stack (devstack: a real Kafka broker, real PostgreSQL clusters,
 * the services as real processes), measured from outside like a client:
 * <ol>
 *   <li><b>Command round trip</b>: a mutating REST call until a {@code GET /v1/migration-jobs/{id}} shows its
 *       effect (new state or field, higher version). Actions alternate {@code POST {id}:start} on a fresh
 *       NOT_STARTED job and {@code PATCH {id}} of the displayName of one NOT_STARTED job. Warm-up actions
 *       first, not counted.</li>
 *   <li><b>Batch stop</b>: {@code POST /v1/migration-jobs:batchStop} of N jobs in RUNNING/FULL_DUMP (created,
 *       batch-started, and moved there by a {@code DUMP_STARTED} worker report each), until a GET lists all
 *       of them in the stop's state (STOPPING; STOPPED when the orchestrator settles a stop with no copy in flight
 *       at once). Fresh jobs every round.</li>
 * </ol>
 * Afterwards the records' producer timestamps on dms.commands and dms.operations split each call into its
 * hops (see {@link TopicTimes}). Prints a table and writes JSON to {@code bench/results/}.
 *
 * <p>The services run from a copy of their build taken at start ({@link BuildSnapshot}), so a rebuild in the
 * checkout during the run cannot change them; the dump and CDC workers are not started unless asked (the bench
 * sends the one worker report the control plane waits for).
 */
public final class ControlPlaneBench {

    static final double GOAL_P99_MS = 100;
    static final double GOAL_BATCH_MS = 2000;
    private static final String DATABASE = "benchdb";
    /**
     * The bench plays the workers on a database that does not exist: starts skip the pre-flight,
     * which would refuse them (and whose time is the servers', not the control plane's).
     */
    private static final Map<String, Object> SKIP_VALIDATION = Map.of("skipValidation", true);
    private static final String SOURCE_PROFILE = "bench-src";
    private static final String DESTINATION_PROFILE = "bench-dst";
    private static final Duration VISIBLE_TIMEOUT = Duration.ofSeconds(10);
    private static final Topics TOPICS = new Topics(Topics.DEFAULT_PREFIX);

    /** Command-line options: {@code --actions N --warmup N --batch-size N --batch-rounds N --keep --out FILE}. */
    record Options(int actions, int warmup, int batchSize, int batchRounds, boolean keepWorkDir, boolean withWorkers,
                   boolean traceControlSql, Map<String, String> orchestratorProperties, Path out) {
        static Options parse(String[] args) {
            int actions = 1000;
            int warmup = 100;
            int batchSize = 200;
            int batchRounds = 3;
            boolean keep = false;
            boolean withWorkers = false;
            boolean traceSql = false;
            Map<String, String> orchestratorProperties = new LinkedHashMap<>();
            Path out = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--actions" -> actions = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--batch-size" -> batchSize = Integer.parseInt(args[++i]);
                    case "--batch-rounds" -> batchRounds = Integer.parseInt(args[++i]);
                    case "--keep" -> keep = true;
                    case "--with-workers" -> withWorkers = true;
                    case "--trace-control-sql" -> {
                        traceSql = true;
                        keep = true;
                    }
                    case "--out" -> out = Path.of(args[++i]);
                    case "--orchestrator-property" -> {
                        String kv = args[++i];
                        int eq = kv.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--orchestrator-property takes key=value, not " + kv);
                        }
                        orchestratorProperties.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    case "-h", "--help" -> {
                        System.out.println("usage: ControlPlaneBench [--actions 1000] [--warmup 100] [--batch-size 200]"
                                + " [--batch-rounds 3] [--keep (keep the stack's work dir and logs)] [--with-workers (also run dump-worker"
                                + " and cdc-worker)] [--trace-control-sql (diagnosis: log every statement of the control database,"
                                + " implies --keep)] [--orchestrator-property key=value (experiment: run the orchestrator"
                                + " with this -D as well; repeatable)] [--out FILE.json]");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
                }
            }
            return new Options(actions, warmup, batchSize, batchRounds, keep, withWorkers, traceSql,
                    Map.copyOf(orchestratorProperties), out);
        }
    }

    /** One timed action of the round-trip series. */
    record Sample(String kind, String jobId, int status, Instant wallStart, long callNanos, long roundTripNanos, int gets,
                  String operation, Instant requestTime, Instant endTime) {}

    /** One timed batch stop. */
    record BatchRound(int round, int jobs, double createAllMs, double batchStartMs, double signalsToRunningMs,
                      int status, Instant wallStart, long callNanos, long visibleNanos, int listGets, double lastListGetMs,
                      String operation, Instant requestTime, Instant endTime, List<String> jobIds, Map<String, Long> versions,
                      double batchDeleteMs, List<String> stopStates) {}

    private final DevStack stack;
    private final Options options;
    private final DmsClient api;
    private long editVersion;
    private Stats kafkaHop;
    private List<Sample> measured = List.of();
    private TopicTimes timeline;
    private final String editJob = "rt-edit";

    private final Map<String, Object> load = new LinkedHashMap<>();

    private ControlPlaneBench(DevStack stack, Options options, String apiUrl) {
        this.stack = stack;
        this.options = options;
        this.api = new DmsClient(apiUrl);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        // Our Kafka clients' configuration dumps and the broker's chatter are not results.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        Path repoRoot = RepoRoot.find();
        Path workDir = RunInfo.workDir("dms-bench-");
        Map<String, Object> machine = RunInfo.machine();
        machine.put("serviceHeap", "-Xmx384m (devstack ServiceProcess)");
        Map<String, Object> result = RunInfo.header("control-plane", machine, repoRoot);
        List<String> table;
        System.out.println("control-plane bench: work dir " + workDir);
        try {
            Path build = workDir.resolve("build");
            result.put("build", BuildSnapshot.copy(repoRoot, build, options.withWorkers()));
            if (!options.withWorkers()) {
                System.out.println("control-plane bench: the bench plays the workers (DUMP_STARTED reports);"
                        + " dump-worker and cdc-worker are not started (--with-workers to start them)");
            }
            long t0 = System.nanoTime();
            try (DevStack stack = DevStack.start(workDir, build)) {
                double infraMs = Stats.ms(System.nanoTime() - t0);
                stack.source().createDatabase(DATABASE);
                if (options.traceControlSql()) {
                    // Every statement with its start time and duration in logs/control.log: where the orchestrator's
                    // time goes per command. Costs a little itself: not for the published numbers.
                    stack.control().execute("postgres", "ALTER SYSTEM SET log_min_duration_statement = 0");
                    stack.control().execute("postgres", "ALTER SYSTEM SET log_line_prefix = '%m [%p] %v %x '");
                    stack.control().execute("postgres", "SELECT pg_reload_conf()");
                    result.put("diagnosis", "--trace-control-sql: every control-database statement logged");
                }
                long t1 = System.nanoTime();
                stack.startServices();
                if (!options.orchestratorProperties().isEmpty()) {
                    // An experiment: the same orchestrator build with extra settings, in place of the standard one.
                    stack.service(DmsService.JOB_ORCHESTRATOR).ifPresent(ServiceProcess::stop);
                    stack.newService(DmsService.JOB_ORCHESTRATOR, "job-orchestrator-experiment",
                            options.orchestratorProperties()).start();
                    result.put("orchestratorProperties", options.orchestratorProperties());
                    System.out.println("control-plane bench: orchestrator restarted with " + options.orchestratorProperties());
                }
                double servicesMs = Stats.ms(System.nanoTime() - t1);
                String apiUrl = stack.service(DmsService.JOB_API)
                        .orElseThrow(() -> new BenchException("job-api is not built: mvn -B install -DskipTests")).url();
                stack.service(DmsService.JOB_ORCHESTRATOR)
                        .orElseThrow(() -> new BenchException("job-orchestrator is not built: mvn -B install -DskipTests"));
                Map<String, Object> stackInfo = new LinkedHashMap<>();
                stackInfo.put("infraStartMs", Stats.round(infraMs));
                stackInfo.put("servicesStartMs", Stats.round(servicesMs));
                result.put("stack", stackInfo);
                ControlPlaneBench bench = new ControlPlaneBench(stack, options, apiUrl);
                table = bench.run(result, stackInfo);
                if (options.keepWorkDir()) {
                    bench.writeRaw(workDir.resolve("samples.csv"));
                    System.out.println("raw samples in " + workDir.resolve("samples.csv"));
                    System.out.println("logs kept in " + stack.layout().logs());
                }
            }
        } finally {
            if (!options.keepWorkDir()) {
                RunInfo.deleteTree(workDir);
            }
        }
        Path out = options.out() != null ? options.out()
                : repoRoot.resolve("bench/results/control-plane-" + LocalDate.now() + ".json");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result) + "\n");
        System.out.println();
        table.forEach(System.out::println);
        System.out.println();
        System.out.println("results written to " + out);
    }

    private List<String> run(Map<String, Object> result, Map<String, Object> stackInfo) {
        long t0 = System.nanoTime();
        awaitFirstRoundTrip();
        stackInfo.put("firstCommandAcceptedMs", Stats.round(Stats.ms(System.nanoTime() - t0)));
        createProfile(SOURCE_PROFILE, stack.source());
        createProfile(DESTINATION_PROFILE, stack.destination());
        log("Kafka hop floor: 300 records one at a time");
        kafkaHop = Stats.ofMillis(KafkaHopProbe.measure(stack.bootstrapServers(), 50, 300));
        Map<String, Object> hop = new LinkedHashMap<>(KafkaHopProbe.describe());
        hop.put("ms", kafkaHop.toMap());
        result.put("kafkaHopFloor", hop);

        // Round trips: every second action starts a fresh job, the others rename one job.
        int warmStarts = (options.warmup() + 1) / 2;
        int measuredStarts = (options.actions() + 1) / 2;
        log("creating %d NOT_STARTED jobs for the start actions", warmStarts + measuredStarts + 1);
        editVersion = createJob(editJob);
        List<String> warmJobs = new ArrayList<>();
        List<String> measuredJobs = new ArrayList<>();
        for (int i = 0; i < warmStarts; i++) {
            String id = String.format("rt-warm-%04d", i);
            createJob(id);
            warmJobs.add(id);
        }
        for (int i = 0; i < measuredStarts; i++) {
            String id = String.format("rt-start-%04d", i);
            createJob(id);
            measuredJobs.add(id);
        }
        log("warm-up: %d actions", options.warmup());
        roundTrips(options.warmup(), warmJobs, "warm");
        Map<String, double[]> metricsBefore = verdictWaitMetrics();
        log("measuring %d actions", options.actions());
        MachineLoad.Mark rtStart = MachineLoad.mark(stack.layout().dir());
        List<Sample> samples = roundTrips(options.actions(), measuredJobs, "run");
        load.put("roundTrips", MachineLoad.between(rtStart, MachineLoad.mark(stack.layout().dir())));
        measured = samples;
        Map<String, double[]> metricsAfter = verdictWaitMetrics();

        List<BatchRound> rounds = new ArrayList<>();
        for (int r = 1; r <= options.batchRounds(); r++) {
            rounds.add(batchRound(r));
        }

        log("reading producer timestamps back from the topics");
        TopicTimes times = TopicTimes.read(stack.bootstrapServers(), TOPICS);
        timeline = times;

        Map<String, Object> rt = roundTripResult(samples, times, metricsBefore, metricsAfter);
        result.put("roundTrip", rt);
        Map<String, Object> batch = batchResult(rounds, times);
        result.put("batchStop", batch);
        Map<String, Object> goals = new LinkedHashMap<>();
        double p99 = ((Stats) rt.remove("_roundTrip")).p99();
        double worstBatch = rounds.stream().mapToDouble(b -> Stats.ms(b.visibleNanos())).max().orElse(Double.NaN);
        goals.put("roundTripP99Ms", Map.of("goal", GOAL_P99_MS, "measured", Stats.round(p99), "met", p99 < GOAL_P99_MS));
        goals.put("batchStopAllVisibleMs", Map.of("goal", GOAL_BATCH_MS, "measuredWorst", Stats.round(worstBatch),
                "met", worstBatch < GOAL_BATCH_MS));
        result.put("goals", goals);
        result.put("machineLoad", load);
        result.put("machineLoadNote", "CPU used during each timed phase, in cores: by the whole machine, by this run "
                + "(bench, broker, services, PostgreSQL) and by anything else; otherCores above ~0.1 means a shared "
                + "machine inflated the numbers");
        return table(samples, rounds, times, p99, worstBatch);
    }

    // ---------------------------------------------------------------- set-up

    /** The orchestrator's consumers need their partitions and the API its projection: a profile proves both. */
    private void awaitFirstRoundTrip() {
        Map<String, Object> body = Map.of("id", "bench-warm-up", "host", "127.0.0.1", "port", 5432, "username", "x",
                "sslMode", "disable");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int status = 0;
        while (System.nanoTime() < deadline) {
            status = api.post("/v1/connection-profiles", body).status();
            if (status == 200 || status == 409) {
                return;
            }
            sleep(250);
        }
        throw new BenchException("the stack did not answer a first command within 90 s (last status " + status + ")");
    }

    private void createProfile(String id, PgCluster cluster) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("displayName", id);
        body.put("host", "127.0.0.1");
        body.put("port", cluster.port());
        body.put("username", PgCluster.USER);
        body.put("password", PgCluster.PASSWORD);
        body.put("sslMode", "disable");
        require(api.post("/v1/connection-profiles", body), "create profile " + id);
    }

    /** Creates a NOT_STARTED job migrating {@value #DATABASE}; returns its document version. */
    private long createJob(String id) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("displayName", "bench " + id);
        body.put("source", SOURCE_PROFILE);
        body.put("destination", DESTINATION_PROFILE);
        body.put("databases", List.of(DATABASE));
        JsonNode op = require(api.post("/v1/migration-jobs", body), "create job " + id);
        return op.path("response").path("version").asLong();
    }

    // ---------------------------------------------------------------- round trips

    private List<Sample> roundTrips(int count, List<String> startJobs, String tag) {
        List<Sample> samples = new ArrayList<>(count);
        int nextStart = 0;
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                String id = startJobs.get(nextStart++);
                samples.add(timed("start", id, api.postRequest("/v1/migration-jobs/" + id + ":start", SKIP_VALIDATION), 0,
                        doc -> "STARTING".equals(doc.path("state").asText())));
            } else {
                String name = "bench " + tag + " " + i;
                long before = editVersion;
                Sample s = timed("edit", editJob, api.patchRequest("/v1/migration-jobs/" + editJob, Map.of("displayName", name)),
                        before, doc -> name.equals(doc.path("displayName").asText()));
                samples.add(s);
            }
        }
        return samples;
    }

    /**
     * Times one action: from just before the call until the first GET of the job that shows it (the predicate
     * holds and the version is above {@code versionBefore}). GETs run back to back, without sleeping.
     */
    private Sample timed(String kind, String jobId, HttpRequest call, long versionBefore, Predicate<JsonNode> effect) {
        HttpRequest get = api.getRequest("/v1/migration-jobs/" + jobId);
        Instant wallStart = Instant.now();
        long t0 = System.nanoTime();
        Reply reply = api.send(call);
        long t1 = System.nanoTime();
        int gets = 0;
        long version;
        while (true) {
            Reply g = api.send(get);
            gets++;
            JsonNode doc = g.ok() ? g.json() : null;
            if (doc != null && doc.path("version").asLong() > versionBefore && effect.test(doc)) {
                version = doc.path("version").asLong();
                break;
            }
            if (System.nanoTime() - t0 > VISIBLE_TIMEOUT.toNanos()) {
                throw new BenchException(kind + " of " + jobId + " not visible after " + VISIBLE_TIMEOUT.toSeconds()
                        + " s (call answered " + reply.status() + ": " + reply.text() + ")");
            }
        }
        long t2 = System.nanoTime();
        if (reply.status() != 200 && reply.status() != 202) {
            throw new BenchException(kind + " of " + jobId + " answered " + reply.status() + ": " + reply.text());
        }
        if ("edit".equals(kind)) {
            editVersion = version;
        }
        JsonNode op = reply.json();
        return new Sample(kind, jobId, reply.status(), wallStart, t1 - t0, t2 - t0, gets, op.path("name").asText(null),
                instant(op.path("metadata").path("createTime")), instant(op.path("metadata").path("endTime")));
    }

    // ---------------------------------------------------------------- batch stop

    private BatchRound batchRound(int round) {
        int n = options.batchSize();
        log("batch round %d: creating %d jobs", round, n);
        List<String> ids = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String id = String.format("batch%d-%03d", round, i);
            createJob(id);
            ids.add(id);
        }
        double createMs = Stats.ms(System.nanoTime() - t0);

        Reply start = api.post("/v1/migration-jobs:batchStart", Map.of("jobIds", ids, "skipValidation", true));
        JsonNode started = require(start, "batchStart round " + round);
        Map<String, Long> epochs = new HashMap<>();
        started.path("response").path("migrationJobs").forEach(j -> epochs.put(j.path("id").asText(), j.path("runEpoch").asLong()));
        if (epochs.size() != n) {
            throw new BenchException("batchStart answered " + epochs.size() + " jobs, not " + n);
        }

        log("batch round %d: sending %d DUMP_STARTED reports", round, n);
        long t1 = System.nanoTime();
        sendDumpStarted(ids, epochs);
        awaitAll(ids, "RUNNING", "FULL_DUMP", Duration.ofSeconds(120));
        double toRunningMs = Stats.ms(System.nanoTime() - t1);

        // The timed part: the call, then list GETs back to back until every job reads the stop's state.
        // A stop moves a job to STOPPING; a build whose orchestrator settles a stop with no copy in flight at once
        // answers STOPPED. The answer says which: the GETs below must then show that state for every job.
        HttpRequest stop = api.postRequest("/v1/migration-jobs:batchStop", Map.of("jobIds", ids));
        Set<String> wanted = new HashSet<>(ids);
        MachineLoad.Mark stopStart = MachineLoad.mark(stack.layout().dir());
        Instant wallStart = Instant.now();
        long s0 = System.nanoTime();
        Reply reply = api.send(stop);
        long s1 = System.nanoTime();
        List<String> stopStates = stopStates(reply);
        List<HttpRequest> lists = stopStates.stream().map(st -> api.getRequest("/v1/migration-jobs?state=" + st)).toList();
        int listGets = 0;
        long lastGet = 0;
        while (true) {
            int visible = 0;
            for (int i = 0; i < lists.size(); i++) {
                Reply l = api.send(lists.get(i));
                listGets++;
                lastGet = l.nanos();
                visible += l.ok() ? countIn(l.json(), wanted, stopStates.get(i), "FULL_DUMP") : 0;
            }
            if (visible == n) {
                break;
            }
            if (System.nanoTime() - s0 > VISIBLE_TIMEOUT.toNanos()) {
                throw new BenchException("batchStop round " + round + " not visible after " + VISIBLE_TIMEOUT.toSeconds()
                        + " s: the jobs read " + statusesOf(api.get("/v1/migration-jobs").json(), wanted)
                        + "; the call answered " + reply.status() + ": " + abbreviate(reply.text()));
            }
        }
        long s2 = System.nanoTime();
        load.put("batchRound" + round, MachineLoad.between(stopStart, MachineLoad.mark(stack.layout().dir())));
        JsonNode op = require(reply, "batchStop round " + round);
        Map<String, Long> versions = new HashMap<>();
        op.path("response").path("migrationJobs").forEach(j -> versions.put(j.path("id").asText(), j.path("version").asLong()));
        // Every job, one by one (not timed): the single-job read agrees with the list.
        for (String id : ids) {
            JsonNode doc = require(api.get("/v1/migration-jobs/" + id), "get " + id);
            if (!stopStates.contains(doc.path("state").asText())) {
                throw new BenchException(id + " reads " + doc.path("state").asText() + " after the batch stop");
            }
        }
        log("batch round %d: stop answered in %.1f ms, all %d %s in GET after %.1f ms", round,
                Stats.ms(s1 - s0), n, String.join("/", stopStates), Stats.ms(s2 - s0));

        // Out of the way of the next round's lists (not timed as a goal, reported for information).
        long d0 = System.nanoTime();
        require(api.post("/v1/migration-jobs:batchDelete", Map.of("jobIds", ids)), "batchDelete round " + round);
        double deleteMs = Stats.ms(System.nanoTime() - d0);

        return new BatchRound(round, n, createMs, Stats.ms(start.nanos()), toRunningMs, reply.status(), wallStart,
                s1 - s0, s2 - s0, listGets, Stats.ms(lastGet), op.path("name").asText(null),
                instant(op.path("metadata").path("createTime")), instant(op.path("metadata").path("endTime")), ids,
                versions, deleteMs, stopStates);
    }

    /** The states the batch stop left the jobs in (STOPPING, or STOPPED when settled at once), from its answer. */
    private static List<String> stopStates(Reply reply) {
        JsonNode op = reply.ok() ? reply.json() : null;
        if (op == null) {
            throw new BenchException("batchStop answered " + reply.status() + ": " + abbreviate(reply.text()));
        }
        java.util.TreeSet<String> states = new java.util.TreeSet<>();
        op.path("response").path("migrationJobs").forEach(j -> states.add(j.path("state").asText()));
        if (states.isEmpty() || !Set.of("STOPPING", "STOPPED").containsAll(states)) {
            throw new BenchException("batchStop left the jobs in " + states + ", not STOPPING/STOPPED");
        }
        return List.copyOf(states);
    }

    /** What the dump worker sends once the publication, slot and schema are in place: one report per database. */
    private void sendDumpStarted(List<String> ids, Map<String, Long> epochs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "control-plane-bench-worker");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (String id : ids) {
                WorkerEvent event = WorkerEvent.bare(id, epochs.get(id), DATABASE, WorkerSignal.DUMP_STARTED, "bench");
                sent.add(producer.send(new ProducerRecord<>(TOPICS.progress(), id, Json.write(event))));
            }
            for (Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new BenchException("cannot send the worker reports: " + e, e);
        }
    }

    private void awaitAll(List<String> ids, String state, String phase, Duration timeout) {
        Set<String> wanted = new HashSet<>(ids);
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            Reply l = api.get("/v1/migration-jobs?state=" + state);
            seen = l.ok() ? countIn(l.json(), wanted, state, phase) : 0;
            if (seen == ids.size()) {
                return;
            }
            sleep(20);
        }
        throw new BenchException("only " + seen + " of " + ids.size() + " jobs reached " + state + "/" + phase
                + " within " + timeout.toSeconds() + " s");
    }

    /** How many of the wanted jobs a list shows in each status: for error messages. */
    private static Map<String, Integer> statusesOf(JsonNode list, Set<String> wanted) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        if (list != null) {
            for (JsonNode j : list.path("migrationJobs")) {
                if (wanted.contains(j.path("id").asText())) {
                    counts.merge(j.path("state").asText() + "/" + j.path("phase").asText(""), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 600 ? text : text.substring(0, 600) + "...";
    }

    private static int countIn(JsonNode list, Set<String> wanted, String state, String phase) {
        int count = 0;
        if (list != null) {
            for (JsonNode j : list.path("migrationJobs")) {
                if (wanted.contains(j.path("id").asText()) && state.equals(j.path("state").asText())
                        && phase.equals(j.path("phase").asText())) {
                    count++;
                }
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- results

    private Map<String, Object> roundTripResult(List<Sample> samples, TopicTimes times, Map<String, double[]> before,
                                                Map<String, double[]> after) {
        Map<String, Object> rt = new LinkedHashMap<>();
        rt.put("actions", samples.size());
        rt.put("warmupActions", options.warmup());
        rt.put("mix", "alternating: POST /v1/migration-jobs/{id}:start on a fresh NOT_STARTED job (1 database) and "
                + "PATCH /v1/migration-jobs/{id} {displayName} on one NOT_STARTED job");
        rt.put("measure", "roundTrip = just before the call until the first GET /v1/migration-jobs/{id} showing the new "
                + "state/displayName with a higher version (GETs back to back); call = the mutating call alone");
        Stats roundTrip = Stats.ofMillis(samples.stream().map(s -> Stats.ms(s.roundTripNanos())).toList());
        rt.put("_roundTrip", roundTrip);
        rt.put("roundTripMs", roundTrip.toMap());
        rt.put("callMs", Stats.ofMillis(samples.stream().map(s -> Stats.ms(s.callNanos())).toList()).toMap());
        rt.put("getAfterCallMs", Stats.ofMillis(samples.stream()
                .map(s -> Stats.ms(s.roundTripNanos() - s.callNanos())).toList()).toMap());
        rt.put("actionsNeedingMoreThanOneGet", samples.stream().filter(s -> s.gets() > 1).count());
        rt.put("answered202", samples.stream().filter(s -> s.status() == 202).count());
        Map<String, Object> byKind = new LinkedHashMap<>();
        for (String kind : List.of("start", "edit")) {
            List<Sample> of = samples.stream().filter(s -> s.kind().equals(kind)).toList();
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("roundTripMs", Stats.ofMillis(of.stream().map(s -> Stats.ms(s.roundTripNanos())).toList()).toMap());
            k.put("callMs", Stats.ofMillis(of.stream().map(s -> Stats.ms(s.callNanos())).toList()).toMap());
            byKind.put(kind, k);
        }
        rt.put("byAction", byKind);
        Map<String, Object> hops = new LinkedHashMap<>();
        hopSeries(samples, times).forEach((hop, values) -> hops.put(hop, Stats.ofMillis(values).toMap()));
        rt.put("hopsMs", hops);
        rt.put("hopsNote", "wall-clock differences on one machine: client start, API Command.requestTime, dms.commands "
                + "record timestamp, Operation endTime (orchestrator, inside its transaction), dms.operations record "
                + "timestamp (outbox relay send), client end; Kafka timestamps have 1 ms resolution");
        rt.put("apiVerdictWaitMs", verdictWaitDelta(before, after));
        rt.put("slowest", samples.stream().sorted(Comparator.comparingLong(Sample::roundTripNanos).reversed()).limit(10)
                .map(s -> sampleDetail(s, times)).toList());
        return rt;
    }

    private static Map<String, List<Double>> hopSeries(List<Sample> samples, TopicTimes times) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (Sample s : samples) {
            hops(s.wallStart(), s.callNanos(), s.requestTime(), s.operation(), s.endTime(), times)
                    .forEach((hop, v) -> series.computeIfAbsent(hop, h -> new ArrayList<>()).add(v));
        }
        return series;
    }

    /** The five hops of one call, in ms; absent when a timestamp is missing. */
    private static Map<String, Double> hops(Instant wallStart, long callNanos, Instant requestTime, String operation,
                                            Instant endTime, TopicTimes times) {
        Map<String, Double> h = new LinkedHashMap<>();
        if (requestTime == null || endTime == null || operation == null) {
            return h;
        }
        String commandId = operation.substring(operation.indexOf('/') + 1);
        Long commandSent = times.commandSent(commandId);
        Long operationSent = times.operationSent(operation);
        double start = millis(wallStart);
        double end = start + Stats.ms(callNanos);
        double requested = millis(requestTime);
        double decided = millis(endTime);
        h.put("1 client -> API built the command", requested - start);
        if (commandSent != null) {
            h.put("2 API: command built -> sent to Kafka", commandSent - requested);
            h.put("3 command sent -> orchestrator verdict (in tx)", decided - commandSent);
        }
        if (operationSent != null) {
            h.put("4 verdict -> commit, relay sends Operation", operationSent - decided);
            h.put("5 Operation sent -> client has the answer", end - operationSent);
        }
        return h;
    }

    private static Map<String, Object> sampleDetail(Sample s, TopicTimes times) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", s.kind());
        d.put("jobId", s.jobId());
        d.put("at", s.wallStart().toString());
        d.put("roundTripMs", Stats.round(Stats.ms(s.roundTripNanos())));
        d.put("callMs", Stats.round(Stats.ms(s.callNanos())));
        d.put("gets", s.gets());
        Map<String, Object> hops = new LinkedHashMap<>();
        hops(s.wallStart(), s.callNanos(), s.requestTime(), s.operation(), s.endTime(), times)
                .forEach((k, v) -> hops.put(k, Stats.round(v)));
        d.put("hopsMs", hops);
        return d;
    }

    private Map<String, Object> batchResult(List<BatchRound> rounds, TopicTimes times) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("jobsPerBatch", options.batchSize());
        b.put("measure", "responseMs = POST /v1/migration-jobs:batchStop {jobIds: [all]} alone; allVisibleMs = from just "
                + "before that call until GET /v1/migration-jobs?state=<the state the answer gives: STOPPING, or STOPPED "
                + "when the orchestrator settles a stop with no copy in flight at once> (back to back) lists every job in it "
                + "(phase FULL_DUMP); fresh jobs each round, brought to RUNNING/FULL_DUMP by one DUMP_STARTED report each");
        List<Map<String, Object>> list = new ArrayList<>();
        for (BatchRound r : rounds) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("round", r.round());
            m.put("responseMs", Stats.round(Stats.ms(r.callNanos())));
            m.put("allVisibleMs", Stats.round(Stats.ms(r.visibleNanos())));
            m.put("jobsEndedIn", r.stopStates());
            m.put("listGets", r.listGets());
            m.put("lastListGetMs", Stats.round(r.lastListGetMs()));
            Map<String, Object> hops = new LinkedHashMap<>();
            hops(r.wallStart(), r.callNanos(), r.requestTime(), r.operation(), r.endTime(), times)
                    .forEach((k, v) -> hops.put(k, Stats.round(v)));
            m.put("hopsMs", hops);
            m.put("jobDocumentsSentAfterVerdictMs", documentSpread(r, times));
            Map<String, Object> setup = new LinkedHashMap<>();
            setup.put("create200JobsMs", Stats.round(r.createAllMs()));
            setup.put("batchStartResponseMs", Stats.round(r.batchStartMs()));
            setup.put("dumpStartedReportsToAllRunningMs", Stats.round(r.signalsToRunningMs()));
            setup.put("batchDeleteResponseMs", Stats.round(r.batchDeleteMs()));
            m.put("setup", setup);
            list.add(m);
        }
        b.put("rounds", list);
        return b;
    }

    /** When the relay sent the first and the last of the batch's job documents, relative to the verdict. */
    private static Map<String, Object> documentSpread(BatchRound r, TopicTimes times) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (r.endTime() == null) {
            return m;
        }
        List<Long> sent = r.jobIds().stream().map(id -> r.versions().containsKey(id)
                ? times.jobDocumentSent(id, r.versions().get(id)) : null).filter(java.util.Objects::nonNull).sorted().toList();
        if (!sent.isEmpty()) {
            double decided = millis(r.endTime());
            m.put("documents", sent.size());
            m.put("first", Stats.round(sent.get(0) - decided));
            m.put("last", Stats.round(sent.get(sent.size() - 1) - decided));
        }
        return m;
    }

    /** dms_api_verdict_wait_seconds (count, sum, max) per label set, from the API's Prometheus endpoint. */
    private Map<String, double[]> verdictWaitMetrics() {
        Map<String, double[]> m = new LinkedHashMap<>();
        Reply r = api.getText("/q/metrics");
        if (!r.ok()) {
            return m;
        }
        for (String line : r.text().split("\n")) {
            if (!line.startsWith("dms_api_verdict_wait_seconds_")) {
                continue;
            }
            int brace = line.indexOf('{');
            int close = line.indexOf('}');
            if (brace < 0 || close < 0) {
                continue;
            }
            String metric = line.substring("dms_api_verdict_wait_seconds_".length(), brace);
            String labels = line.substring(brace + 1, close);
            double value = Double.parseDouble(line.substring(close + 1).trim().split(" ")[0]);
            double[] v = m.computeIfAbsent(labels, k -> new double[3]);
            switch (metric) {
                case "count" -> v[0] = value;
                case "sum" -> v[1] = value;
                case "max" -> v[2] = value;
                default -> { }
            }
        }
        return m;
    }

    private static Map<String, Object> verdictWaitDelta(Map<String, double[]> before, Map<String, double[]> after) {
        Map<String, Object> out = new LinkedHashMap<>();
        after.forEach((labels, a) -> {
            double[] b = before.getOrDefault(labels, new double[3]);
            double count = a[0] - b[0];
            if (count > 0) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("count", (long) count);
                m.put("meanMs", Stats.round((a[1] - b[1]) / count * 1000));
                m.put("maxMsRecent", Stats.round(a[2] * 1000));
                out.put(labels.replaceAll("[a-z]+=\"([^\"]*)\",?", "$1 ").trim(), m);
            }
        });
        return out;
    }

    private List<String> table(List<Sample> samples, List<BatchRound> rounds, TopicTimes times, double p99, double worst) {
        List<String> t = new ArrayList<>();
        t.add("== control-plane bench: " + samples.size() + " actions after " + options.warmup() + " warm-up, "
                + Runtime.getRuntime().availableProcessors() + " cores ==");
        t.add(Stats.header("command round trip (ms)"));
        t.add(Stats.ofMillis(samples.stream().map(s -> Stats.ms(s.roundTripNanos())).toList()).row("round trip: call + first GET showing it"));
        t.add(Stats.ofMillis(samples.stream().map(s -> Stats.ms(s.callNanos())).toList()).row("  the mutating call alone"));
        for (String kind : List.of("start", "edit")) {
            List<Sample> of = samples.stream().filter(s -> s.kind().equals(kind)).toList();
            t.add(Stats.ofMillis(of.stream().map(s -> Stats.ms(s.roundTripNanos())).toList()).row("  round trip, " + kind + " only"));
        }
        t.add(Stats.header("hops of the call (ms, from timestamps)"));
        hopSeries(samples, times).forEach((hop, values) -> t.add(Stats.ofMillis(values).row("  " + hop)));
        t.add(kafkaHop.row("Kafka hop floor (send -> consumer has it)"));
        t.add(String.format("actions needing more than one GET: %d", samples.stream().filter(s -> s.gets() > 1).count()));
        t.add("");
        t.add(String.format("%-10s %12s %14s %10s %12s", "batchStop", "jobs", "response ms", "visible ms", "list GETs"));
        for (BatchRound r : rounds) {
            t.add(String.format("%-10s %12d %14.1f %10.1f %12d", "round " + r.round(), r.jobs(), Stats.ms(r.callNanos()),
                    Stats.ms(r.visibleNanos()), r.listGets()));
        }
        t.add("");
        for (Map.Entry<String, Object> phase : load.entrySet()) {
            Map<?, ?> m = (Map<?, ?>) phase.getValue();
            double other = ((Number) m.get("otherCores")).doubleValue();
            t.add(String.format("CPU during %-12s this run %.2f cores, others %.2f cores%s", phase.getKey() + ":",
                    ((Number) m.get("thisRunCores")).doubleValue(), other,
                    other > 0.1 ? "  <- NOT QUIET: the numbers include other work" : ""));
        }
        t.add(String.format("goal p99 < %.0f ms: %.1f ms -> %s", GOAL_P99_MS, p99, p99 < GOAL_P99_MS ? "MET" : "MISSED"));
        t.add(String.format("goal batch of %d < %.0f ms: worst %.1f ms -> %s", options.batchSize(), GOAL_BATCH_MS, worst,
                worst < GOAL_BATCH_MS ? "MET" : "MISSED"));
        return t;
    }

    /** One line per measured action, all times in epoch ms, for a closer look (with --keep). */
    private void writeRaw(Path file) {
        List<String> lines = new ArrayList<>();
        lines.add("kind,job,status,gets,clientStartMs,callMs,roundTripMs,operation,requestTimeMs,commandSentMs,verdictMs,"
                + "operationSentMs");
        for (Sample s : measured) {
            String commandId = s.operation() == null ? "" : s.operation().substring(s.operation().indexOf('/') + 1);
            lines.add(String.join(",", s.kind(), s.jobId(), String.valueOf(s.status()), String.valueOf(s.gets()),
                    String.format("%.3f", millis(s.wallStart())), String.format("%.3f", Stats.ms(s.callNanos())),
                    String.format("%.3f", Stats.ms(s.roundTripNanos())), String.valueOf(s.operation()),
                    s.requestTime() == null ? "" : String.format("%.3f", millis(s.requestTime())),
                    String.valueOf(timeline == null ? null : timeline.commandSent(commandId)),
                    s.endTime() == null ? "" : String.format("%.3f", millis(s.endTime())),
                    String.valueOf(timeline == null ? null : timeline.operationSent(s.operation()))));
        }
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            System.err.println("cannot write " + file + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode require(Reply reply, String what) {
        if (!reply.ok()) {
            throw new BenchException(what + " answered " + reply.status() + ": " + reply.text());
        }
        return reply.json();
    }

    private static Instant instant(JsonNode node) {
        return node == null || !node.isTextual() ? null : Instant.parse(node.asText());
    }

    private static double millis(Instant t) {
        return t.getEpochSecond() * 1000.0 + t.getNano() / 1_000_000.0;
    }





    private static void log(String format, Object... args) {
        System.out.printf("[bench %s] %s%n", Instant.now().truncatedTo(ChronoUnit.MILLIS), String.format(format, args));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }
}
