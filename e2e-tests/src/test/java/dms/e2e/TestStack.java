package dms.e2e;

import dms.devstack.DevStack;
import dms.devstack.DmsService;
import dms.devstack.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The system under test, started once per test JVM: a real Kafka broker, three real
 * PostgreSQL clusters and the four services as real processes (devstack). Test classes share
 * it and keep apart by using their own job and profile ids.
 */
public final class TestStack {

    /** Tables above this size are copied in ranges by the test's dump-worker. */
    public static final long RANGE_BYTES = 2_000_000;
    /** Tables up to this size (estimated: a few pages) are copied in bundles by the test stack's orchestrator. */
    public static final long BUNDLE_TABLE_BYTES = 65_536;
    /** Verify compares tables in chunks of this many rows in the test's dump-worker: modest tables take several. */
    public static final int VERIFY_CHUNK_ROWS = 500;

    private static DevStack stack;
    private static ServiceProcess dumpWorker;
    private static ServiceProcess cdcWorker;

    private TestStack() {}

    public static synchronized DevStack get() {
        if (stack == null) {
            try {
                // The clusters run as the postgres user when the tests run as root: it must enter the folder.
                Path dir = Files.createTempDirectory("dms-e2e-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                stack = DevStack.start(dir);
                DevStack started = stack;
                // Hundreds of MB of cluster and broker data per run: gone when the run ends, the logs stay.
                Runtime.getRuntime().addShutdownHook(new Thread(started::closeAndDeleteData, "dms-e2e-cleanup"));
                // The workers start on demand: control-plane tests play the workers' part themselves.
                // Only tables of a few rows go in bundles (docs/full-dump.md): the tests' tables of a few MB are copied one
                // task each, so that progress, stops and dumpParallelism show table by table.
                stack.withSettings(DmsService.JOB_ORCHESTRATOR, Map.of("dms.dump.bundle.small-table-bytes", String.valueOf(BUNDLE_TABLE_BYTES)));
                stack.startServices(EnumSet.of(DmsService.JOB_ORCHESTRATOR, DmsService.JOB_API), Map.of());
                awaitFirstRoundTrip(apiUrl());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return stack;
    }

    /**
     * Ready means a command goes through: the orchestrator's consumers have their partitions
     * and the API its projection. A profile created over REST proves both.
     */
    static void awaitFirstRoundTrip(String apiUrl) {
        String body = "{\"id\":\"warm-up\",\"host\":\"127.0.0.1\",\"port\":5432,\"username\":\"x\"}";
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        int status = 0;
        while (System.nanoTime() < deadline) {
            status = io.restassured.RestAssured.given().baseUri(apiUrl).contentType("application/json").body(body)
                    .post("/v1/connection-profiles").statusCode();
            if (status == 200 || status == 409) {
                return;
            }
            KafkaProbe.sleep(500);
        }
        throw new IllegalStateException("the stack did not answer a first command within 60 s (last status " + status + ")");
    }

    static final int HEARTBEAT_SECONDS = 2;

    /**
     * A real dump-worker for data tests; small ranges, so that modest tables are split too, every whole table's
     * indexes built right after its copy (however small), and heartbeats every
     * {@link #HEARTBEAT_SECONDS} s, so that an orchestrator with short task leases (DeadlinesTest) sends nothing twice.
     */
    public static synchronized ServiceProcess dumpWorker() {
        get();
        if (dumpWorker == null) {
            dumpWorker = stack.newService(DmsService.DUMP_WORKER, "dump-worker",
                    Map.of("dms.dump.range-bytes", String.valueOf(RANGE_BYTES), "dms.verify.chunk-rows", String.valueOf(VERIFY_CHUNK_ROWS),
                            "dms.dump.heartbeat-interval", "PT" + HEARTBEAT_SECONDS + "S", "dms.dump.index-build.min-table-bytes", "0"));
        }
        if (!dumpWorker.isAlive()) {
            dumpWorker.start();
        }
        return dumpWorker;
    }

    /** A real cdc-worker for data tests. */
    public static synchronized ServiceProcess cdcWorker() {
        get();
        if (cdcWorker == null) {
            cdcWorker = stack.newService(DmsService.CDC_WORKER, "cdc-worker", Map.of("dms.cdc.report-interval", "PT1S"));
        }
        if (!cdcWorker.isAlive()) {
            cdcWorker.start();
        }
        return cdcWorker;
    }

    /**
     * A cdc-worker run with these JVM options (a small heap, say) as the only one, so that every stream lands on
     * it: the shared one stops. The caller stops it; the next {@link #cdcWorker()} starts the shared one again.
     */
    public static synchronized ServiceProcess soleCdcWorker(String name, List<String> jvmOptions) {
        get();
        if (cdcWorker != null && cdcWorker.isAlive()) {
            cdcWorker.stop();
        }
        ServiceProcess worker = stack.newService(DmsService.CDC_WORKER, name, Map.of("dms.cdc.report-interval", "PT1S"), jvmOptions);
        worker.start();
        return worker;
    }

    /** For tests that send the workers' reports themselves: no real worker may answer in their place. */
    public static synchronized void withoutWorkers() {
        get();
        if (dumpWorker != null && dumpWorker.isAlive()) {
            dumpWorker.stop();
        }
        if (cdcWorker != null && cdcWorker.isAlive()) {
            cdcWorker.stop();
        }
    }

    public static ServiceProcess service(DmsService service) {
        return get().service(service).orElseThrow(() -> new IllegalStateException(service + " is not built"));
    }

    public static String apiUrl() {
        return service(DmsService.JOB_API).url();
    }
}
