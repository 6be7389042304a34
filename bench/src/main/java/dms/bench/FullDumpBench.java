package dms.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import dms.common.json.Json;
import dms.devstack.DevStack;
import dms.devstack.DmsService;
import dms.devstack.PgCluster;
import dms.devstack.RepoRoot;
import dms.devstack.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dms.bench.FullDumpFormat.log;

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
 * Dataset in the source database {@value FullDumpDataset#DB}: {@code pgbench -i -s 20} plus a table {@code wide} (jsonb, numeric,
 * text, timestamptz; 1 M rows; two secondary indexes), at least 500 MB. Every run writes into a fresh destination
 * database; the tools run in turn, repetition after repetition. After each of our runs the destination is compared
 * with the source table by table (row count and md5 of every row in key order); other tools' copies are checked by
 * row counts and index names (and checksums in the first repetition). Prints a table and writes JSON to
 * {@code bench/results/full-dump-<date>.json}.
 *
 * <p>The services run from a copy of the build taken at start, so a rebuild in the checkout during the run cannot
 * change them. This class holds the run's order; {@link FullDumpOptions}, {@link FullDumpDataset}, {@link OursRunner},
 * {@link AnchorTools}, {@link DestinationPhases}, {@link WorkerLogBreakdown}, {@link MachineQuiet},
 * {@link ToolProcesses} and {@link FullDumpReport} do the parts.
 */
public final class FullDumpBench {

    private final DevStack stack;
    private final FullDumpOptions options;
    private final JobDriver jobs;
    private final FullDumpDataset dataset;
    private final OursRunner ours;
    private final AnchorTools anchors;
    private final MachineQuiet quietness;
    private final FullDumpReport report;
    /** Tool (ours, ours:VARIANT, pgcopydb, pgdump, limit) to its runs, in order. */
    private final Map<String, List<Map<String, Object>>> runs = new LinkedHashMap<>();

    private FullDumpBench(DevStack stack, FullDumpOptions options, Path workDir, Path bindir, String apiUrl,
                          ServiceProcess orchestrator) {
        this.stack = stack;
        this.options = options;
        BenchApi api = new BenchApi(apiUrl, "full-dump-bench");
        this.jobs = new JobDriver(stack, api);
        ToolProcesses processes = new ToolProcesses(bindir, workDir);
        this.dataset = new FullDumpDataset(stack, options, processes);
        DestinationPhases phases = new DestinationPhases(stack, options.statementLog());
        this.ours = new OursRunner(stack, options, api, jobs, dataset, phases, processes, workDir, orchestrator);
        this.anchors = new AnchorTools(stack, options, dataset, processes, phases, workDir);
        this.quietness = new MachineQuiet(workDir, options.quietWaitSeconds());
        this.report = new FullDumpReport(options, runs);
    }

    public static void main(String[] args) throws Exception {
        FullDumpOptions options = FullDumpOptions.parse(args);
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        Path repoRoot = RepoRoot.find();
        Path bindir = ToolProcesses.pgBindir();
        Path workDir = RunInfo.workDir("dms-fulldump-");
        Map<String, Object> machine = RunInfo.machine();
        machine.put("summary", machine.get("cores") + " cores, " + Math.round((Double) machine.get("memoryGiB")) + " GiB");
        Map<String, Object> result = RunInfo.header("full-dump", machine, repoRoot);
        result.put("otherActivityAtStart", MachineQuiet.otherActivity());
        List<String> table;
        log("work dir %s; PostgreSQL binaries %s", workDir, bindir);
        try {
            Path build = workDir.resolve("build");
            // The services run from a copy: others rebuild the checkout while this runs for many minutes.
            result.put("build", BuildSnapshot.copy(repoRoot, build, true));
            result.put("tools", ToolProcesses.toolVersions(bindir));
            try (DevStack stack = DevStack.start(workDir, build)) {
                // The control plane as devstack starts it; the dump-worker as a real process of its own, so that its
                // settings can be chosen (and changed between variants). The cdc-worker is not on the path measured
                // (the job is RUNNING/CDC once the dump is done) and is not started.
                stack.startServices(EnumSet.of(DmsService.JOB_ORCHESTRATOR, DmsService.JOB_API), Map.of());
                String apiUrl = stack.service(DmsService.JOB_API)
                        .orElseThrow(() -> new BenchFailure("job-api is not built: mvn -B install -DskipTests")).url();
                ServiceProcess orchestrator = stack.service(DmsService.JOB_ORCHESTRATOR)
                        .orElseThrow(() -> new BenchFailure("job-orchestrator is not built: mvn -B install -DskipTests"));
                FullDumpBench bench = new FullDumpBench(stack, options, workDir, bindir, apiUrl, orchestrator);
                bench.ours.useServices(options.workerProperties(), options.orchestratorProperties());
                table = bench.run(result);
                result.put("otherActivityAtEnd", MachineQuiet.otherActivity());
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

    private List<String> run(Map<String, Object> result) throws Exception {
        jobs.awaitApi();
        jobs.createProfile(OursRunner.SOURCE_PROFILE, stack.source());
        jobs.createProfile(OursRunner.DESTINATION_PROFILE, stack.destination());
        result.put("dataset", dataset.create());
        result.put("settings", FullDumpReport.settings(stack, options));
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
                    ours.warmUp();
                }
                Map<String, Object> quiet = quietness.awaitQuiet();
                Map<String, Object> r = switch (tool) {
                    case "ours" -> ours.run(rep, options.parallelism());
                    case "pgcopydb" -> anchors.runPgcopydb(rep);
                    case "pgdump" -> anchors.runPgDump(rep);
                    case "limit" -> anchors.runLimit(rep);
                    default -> throw new IllegalStateException(tool);
                };
                r.put("quietWait", quiet);
                runs.computeIfAbsent(tool, k -> new ArrayList<>()).add(r);
                log("%s rep %d: %.1f s %s", tool, rep, (Double) r.get("seconds"), MachineQuiet.loadNote(r));
            }
        }
        List<Map<String, Object>> variantsDone = new ArrayList<>();
        for (FullDumpOptions.Variant v : options.variants()) {
            Map<String, String> worker = new LinkedHashMap<>(options.workerProperties());
            worker.putAll(v.workerProperties());
            Map<String, String> orch = new LinkedHashMap<>(options.orchestratorProperties());
            orch.putAll(v.orchestratorProperties());
            ours.useServices(worker, orch);
            String level = v.parallelism() != null ? v.parallelism() : options.parallelism();
            for (int i = 1; i <= options.variantRuns(); i++) {
                log("variant %s (%s), run %d/%d", v.label(), v.describe(), i, options.variantRuns());
                ours.warmUp();
                Map<String, Object> quiet = quietness.awaitQuiet();
                Map<String, Object> r = ours.run(i, level);
                r.put("quietWait", quiet);
                r.put("variant", v.describe());
                runs.computeIfAbsent("ours:" + v.label(), k -> new ArrayList<>()).add(r);
                log("ours:%s %d: %.1f s %s", v.label(), i, (Double) r.get("seconds"), MachineQuiet.loadNote(r));
            }
            variantsDone.add(v.describe());
        }
        ours.useServices(options.workerProperties(), options.orchestratorProperties());
        result.put("variants", variantsDone);
        Map<String, Object> services = new LinkedHashMap<>();
        services.put("started", "job-orchestrator, job-api (devstack startServices), dump-worker (devstack newService); all"
                + " real processes from the build snapshot; the cdc-worker is not started (not on the measured path)");
        services.put("dumpWorkerProperties", options.workerProperties());
        services.put("orchestratorProperties", options.orchestratorProperties());
        result.put("services", services);

        return report.complete(result);
    }
}
