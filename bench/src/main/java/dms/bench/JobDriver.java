package dms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dms.devstack.DevStack;
import dms.devstack.PgCluster;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Connection profiles and jobs on the local stack, through the API, as the benchmarks need them. */
final class JobDriver {

    private final DevStack stack;
    private final BenchApi api;

    JobDriver(DevStack stack, BenchApi api) {
        this.stack = stack;
        this.api = api;
    }


    void deleteJob(String id, JsonNode job, String database) {
        String slot = job.path("databaseProgress").path(0).path("slotName").asText(null);
        BenchApi.Reply r = api.delete("/v1/migration-jobs/" + id + "?purgeDestination=true");
        if (r.status() != 200 && r.status() != 202) {
            throw new BenchFailure("delete " + id + ": " + r.status() + " " + r.text());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (api.get("/v1/migration-jobs/" + id).status() != 404) {
            if (System.nanoTime() > deadline) {
                throw new BenchFailure("job " + id + " still there 180 s after its delete");
            }
            pause(250);
        }
        // The cleanup drops the slot and the destination database: the next run must not pay for either.
        while (true) {
            boolean slotLeft = slot != null && "1".equals(stack.source().queryForString("postgres",
                    "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot.replace("'", "''") + "'"));
            boolean dbLeft = "1".equals(stack.destination().queryForString("postgres",
                    "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'"));
            if (!slotLeft && !dbLeft) {
                return;
            }
            if (System.nanoTime() > deadline) {
                System.out.printf("WARNING: after deleting %s: slot left %s, destination database left %s; dropping them here%n", id, slotLeft, dbLeft);
                if (slotLeft) {
                    stack.source().execute("postgres", "SELECT pg_drop_replication_slot('" + slot + "')");
                }
                return;
            }
            pause(250);
        }
    }

    void awaitApi() {
        Map<String, Object> body = Map.of("id", "bench-api-probe", "host", "127.0.0.1", "port", 5432, "username", "x", "sslMode", "disable");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int status = 0;
        while (System.nanoTime() < deadline) {
            status = api.post("/v1/connection-profiles", body).status();
            if (status == 200 || status == 409) {
                return;
            }
            pause(250);
        }
        throw new BenchFailure("the stack did not answer a first command within 120 s (last status " + status + ")");
    }

    void createProfile(String id, PgCluster cluster) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("host", "127.0.0.1");
        body.put("port", cluster.port());
        body.put("username", PgCluster.USER);
        body.put("password", PgCluster.PASSWORD);
        body.put("sslMode", "disable");
        BenchApi.Reply r = api.post("/v1/connection-profiles", body);
        if (r.status() != 200 && r.status() != 202) {
            throw new BenchFailure("create profile " + id + ": " + r.status() + " " + r.text());
        }
    }

    JsonNode awaitJob(String id, Predicate<JsonNode> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            BenchApi.Reply r = api.get("/v1/migration-jobs/" + id);
            JsonNode j = r.status() == 200 ? r.json() : null;
            if (j != null && condition.test(j)) {
                return j;
            }
            if (System.nanoTime() > deadline) {
                throw new BenchFailure("job " + id + " not " + what + " within " + timeout + ": " + r.status() + " " + r.text());
            }
            pause(100);
        }
    }

    /** Thread.sleep for polling loops: an interrupt ends the run. */
    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }
}
