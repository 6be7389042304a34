package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.devstack.PgCluster;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delete: slots and publications go from the source; the destination databases stay unless
 * purgeDestination=true; a job whose source is gone is deleted all the same, saying what it
 * could not clean.
 */
class DeleteTest {

    @BeforeAll
    static void workers() {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
    }

    @Test
    void deleteKeepsOrPurgesTheDestinationAndLeavesNoSlot() {
        PgCluster source = TestStack.get().source();
        PgCluster destination = TestStack.get().destination();
        for (String db : List.of("del_keep", "del_purge")) {
            source.createDatabase(db);
            source.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT i, 'v' || i FROM generate_series(1, 1000) i");
        }
        createProfiles("del");
        createJob("del-keep", "del", List.of("del_keep")).then().statusCode(200);
        createJob("del-purge", "del", List.of("del_purge")).then().statusCode(200);
        request().body("{\"jobIds\": [\"del-keep\", \"del-purge\"]}").post("/v1/migration-jobs:batchStart").then().statusCode(200);
        awaitStatus("del-keep", "RUNNING/CDC", 120);
        awaitStatus("del-purge", "RUNNING/CDC", 120);

        request().delete("/v1/migration-jobs/del-keep").then().statusCode(200);
        request().delete("/v1/migration-jobs/del-purge?purgeDestination=true").then().statusCode(200);
        awaitStatus("del-keep", "404", 60);
        awaitStatus("del-purge", "404", 60);

        assertEquals("1000", destination.queryForString("del_keep", "SELECT count(*) FROM t"), "plain delete keeps the data");
        assertEquals("0", destination.queryForString("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'del_purge'"),
                "purgeDestination drops the destination database");
        for (String db : List.of("del_keep", "del_purge")) {
            assertEquals("0", source.queryForString(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'dms_del_%'"));
            assertEquals("0", source.queryForString(db, "SELECT count(*) FROM pg_publication WHERE pubname LIKE 'dms_del_%'"));
        }
    }

    @Test
    void aJobWhoseSourceIsGoneIsDeletedAllTheSame() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "dms-lost-source-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try (PgCluster lost = new PgCluster("lost", dir).setting("wal_level", "logical").start()) {
            lost.createDatabase("lost_db");
            lost.execute("lost_db", "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 100)");
            createProfile("lost-src", lost);
            createProfile("lost-dst", TestStack.get().destination());
            createJob("lost-1", "lost", List.of("lost_db")).then().statusCode(200);
            action("lost-1", "start").then().statusCode(200);
            awaitStatus("lost-1", "RUNNING/CDC", 120);

            lost.stop();
            request().delete("/v1/migration-jobs/lost-1").then().statusCode(200);
            awaitStatus("lost-1", "404", 120);
            JsonPath events = request().get("/v1/migration-jobs/lost-1/events").then().statusCode(200).extract().jsonPath();
            List<String> messages = events.getList("events.message");
            assertTrue(messages.stream().anyMatch(m -> m != null && m.contains("not cleaned") && m.contains("dms_lost_1_")
                    && m.contains("drop them by hand")), "the events say which slot is left: " + messages);
        }
    }
}
