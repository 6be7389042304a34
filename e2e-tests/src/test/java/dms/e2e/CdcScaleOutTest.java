package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.kafka.Topics;
import dms.common.messages.CdcControl;
import dms.common.verify.TableChecksum;
import dms.devstack.DmsService;
import dms.devstack.PgCluster;
import dms.devstack.ServiceProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Two cdc-workers share the streams (the consumer group on dms.cdc-control decides); when one
 * is killed, its streams resume on the other and nothing is lost.
 */
class CdcScaleOutTest {

    private static ServiceProcess second;

    @AfterAll
    static void stopSecond() {
        if (second != null) {
            second.stop();
        }
    }

    @Test
    void streamsSpreadOverTwoWorkersAndMoveWhenOneDies() throws Exception {
        TestStack.dumpWorker();
        ServiceProcess first = TestStack.cdcWorker();
        second = TestStack.get().newService(DmsService.CDC_WORKER, "cdc-worker-2", Map.of("dms.cdc.report-interval", "PT1S"));
        second.start();

        // Databases whose stream keys fall on four different partitions: however the group splits the six
        // partitions between two workers, each worker runs at least one of the streams.
        List<String> databases = databasesOnDistinctPartitions("scale-1", 4);
        PgCluster source = TestStack.get().source();
        for (String db : databases) {
            source.createDatabase(db);
            source.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 100) g");
        }
        createProfiles("scale");
        createJob("scale-1", "scale", databases).then().statusCode(200);
        action("scale-1", "start").then().statusCode(200);
        awaitStatus("scale-1", "RUNNING/CDC", 180);

        writeAndAwaitEqual(databases, 101);
        Set<String> onFirst = streamedBy(first, databases);
        Set<String> onSecond = streamedBy(second, databases);
        assertFalse(onFirst.isEmpty(), "the first worker runs some streams");
        assertFalse(onSecond.isEmpty(), "the second worker runs some streams");

        first.kill();
        writeAndAwaitEqual(databases, 201);
        assertEquals(new HashSet<>(databases), streamedBy(second, databases), "every stream runs on the survivor");
        TestStack.cdcWorker();

        request().delete("/v1/migration-jobs/scale-1?purgeDestination=true").then().statusCode(200);
        awaitStatus("scale-1", "404", 60);
    }

    private static void writeAndAwaitEqual(List<String> databases, int from) throws Exception {
        PgCluster source = TestStack.get().source();
        for (String db : databases) {
            source.execute(db, "INSERT INTO t SELECT g, 'late ' || g FROM generate_series(" + from + ", " + (from + 99) + ") g;"
                    + " UPDATE t SET v = v || '!' WHERE id % 10 = 0");
        }
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String db : databases) {
                try (Connection src = source.connect(db); Connection dst = TestStack.get().destination().connect(db)) {
                    assertEquals(TableChecksum.of(src, "public", "t", List.of("id")), TableChecksum.of(dst, "public", "t", List.of("id")), db);
                }
            }
        });
    }

    /** The databases a worker's log says it streamed (the latest start of each). */
    private static Set<String> streamedBy(ServiceProcess worker, List<String> databases) throws Exception {
        String log = Files.readString(worker.logFile(), StandardCharsets.UTF_8);
        Set<String> out = new HashSet<>();
        for (String db : databases) {
            if (log.contains("CDC scale-1/" + db + ": streaming slot")) {
                out.add(db);
            }
        }
        return out;
    }

    /** Database names whose dms.cdc-control keys go to {@code count} different partitions (Kafka's default partitioner). */
    private static List<String> databasesOnDistinctPartitions(String jobId, int count) {
        List<String> names = new ArrayList<>();
        Set<Integer> partitions = new HashSet<>();
        for (int i = 0; names.size() < count; i++) {
            String db = "scale_" + i;
            byte[] key = CdcControl.key(jobId, db).getBytes(StandardCharsets.UTF_8);
            if (partitions.add(Utils.toPositive(Utils.murmur2(key)) % Topics.CDC_CONTROL.partitions())) {
                names.add(db);
            }
        }
        return names;
    }
}
