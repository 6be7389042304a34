package dms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dms.devstack.DevStack;
import dms.devstack.DmsService;
import dms.devstack.PgCluster;
import dms.devstack.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dms.bench.FullDumpDataset.DB;
import static dms.bench.FullDumpFormat.log;
import static dms.bench.FullDumpFormat.round2;
import static dms.bench.FullDumpFormat.sleep;

/**
 * Ours: a migration job through the REST API, timed from {@code :start} until RUNNING/CDC, verified and deleted;
 * with the dump-worker and orchestrator it runs on (restarted when a variant changes their settings), warmed up
 * by an untimed small job after each start.
 */
final class OursRunner {

    static final String SOURCE_PROFILE = "fd-src";
    static final String DESTINATION_PROFILE = "fd-dst";
    static final String WARM_UP_DB = "warmup";

    private final DevStack stack;
    private final FullDumpOptions options;
    private final BenchApi api;
    private final JobDriver jobs;
    private final FullDumpDataset dataset;
    private final DestinationPhases phases;
    private final ToolProcesses processes;
    private final Path workDir;
    private int jobCounter;
    /** The dump-worker and orchestrator now running, and the settings they run with. */
    private ServiceProcess dumpWorker;
    private ServiceProcess orchestrator;
    private Map<String, String> dumpWorkerProperties = Map.of();
    private Map<String, String> orchestratorProperties = Map.of();
    private int serviceGeneration;
    private boolean warmUpPending;

    OursRunner(DevStack stack, FullDumpOptions options, BenchApi api, JobDriver jobs, FullDumpDataset dataset,
               DestinationPhases phases, ToolProcesses processes, Path workDir, ServiceProcess orchestrator) {
        this.stack = stack;
        this.options = options;
        this.api = api;
        this.jobs = jobs;
        this.dataset = dataset;
        this.phases = phases;
        this.processes = processes;
        this.workDir = workDir;
        this.orchestrator = orchestrator;
    }

    /**
     * Makes the running dump-worker and orchestrator the ones with these settings: a service whose settings differ
     * is stopped and a new instance (a real process, {@link DevStack#newService}) started in its place. Nothing
     * runs meanwhile: every job of a run is deleted before the next one.
     */
    void useServices(Map<String, String> workerProps, Map<String, String> orchestratorProps) {
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
    void warmUp() throws Exception {
        if (!warmUpPending || !options.warmUp()) {
            return;
        }
        warmUpPending = false;
        PgCluster src = stack.source();
        if (!"1".equals(src.queryForString("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + WARM_UP_DB + "'"))) {
            src.createDatabase(WARM_UP_DB);
            processes.exec(List.of(processes.bin("pgbench"), "-i", "-s", "2", "-q", "-h", "127.0.0.1", "-p", String.valueOf(src.port()),
                    "-U", PgCluster.USER, WARM_UP_DB), processes.runDir("dataset").resolve("pgbench-warm-up.log"));
        }
        String id = "fd-warm-up-" + (++jobCounter);
        log("warm-up of %s: job %s over a %s database (untimed)", dumpWorker.name(), id, WARM_UP_DB);
        createJob(id, null, WARM_UP_DB, options.parallelism());
        api.post("/v1/migration-jobs/" + id + ":start", null);
        JsonNode job = jobs.awaitJob(id, j -> ("RUNNING".equals(j.path("state").asText()) && "CDC".equals(j.path("phase").asText()))
                || j.path("state").asText().startsWith("FAILED"), Duration.ofMinutes(5), "RUNNING/CDC");
        if (!"RUNNING".equals(job.path("state").asText())) {
            throw new BenchFailure("warm-up job " + id + " failed: " + job);
        }
        jobs.deleteJob(id, job, WARM_UP_DB);
    }

    /** Ours: a job through the REST API, timed from :start to RUNNING/CDC; verified; then deleted with its destination. */
    Map<String, Object> run(int rep, String level) throws Exception {
        warmUp();
        String id = "fd-" + (++jobCounter) + "-" + level.toLowerCase();
        dataset.freshDestination(false);
        createJob(id, "full-dump bench " + id, DB, level);

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
            if (System.nanoTime() - t0 > ToolProcesses.RUN_TIMEOUT.toNanos()) {
                throw new BenchFailure("job " + id + " not RUNNING/CDC after " + ToolProcesses.RUN_TIMEOUT + ": " + job);
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
        r.put("breakdown", WorkerLogBreakdown.of(dumpWorker.logFile(), id, wall0, wall1));
        r.put("progress", job.path("databaseProgress"));
        r.put("machineLoad", MachineLoad.between(m0, m1));
        r.put("destinationPhases", phases.between(wall0, wall1));
        log("ours %s: %.1f s; verifying", id, seconds);
        r.put("verification", dataset.verify(true));
        jobs.deleteJob(id, job, DB);
        return r;
    }

    /** Creates a job migrating {@code database} between the bench's profiles and waits until it is NOT_STARTED. */
    private void createJob(String id, String displayName, String database, String level) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        if (displayName != null) {
            body.put("displayName", displayName);
        }
        body.put("source", SOURCE_PROFILE);
        body.put("destination", DESTINATION_PROFILE);
        body.put("databases", List.of(database));
        body.put("dumpParallelism", level);
        BenchApi.Reply created = api.post("/v1/migration-jobs", body);
        if (created.status() != 200 && created.status() != 202) {
            throw new BenchFailure("create job " + id + ": " + created.status() + " " + created.text());
        }
        jobs.awaitJob(id, j -> "NOT_STARTED".equals(j.path("state").asText()), Duration.ofSeconds(30), "NOT_STARTED");
    }
}
