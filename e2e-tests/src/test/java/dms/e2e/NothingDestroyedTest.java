package dms.e2e;

import static dms.e2e.Api.*;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.*;

import dms.devstack.PgCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Only what a job created is ever dropped: a purge keeps a destination database that existed
 * before the job and one that was promoted; a destination profile that reaches the source's own
 * server (under another name) is refused. A restart that would drop a database the job did not
 * create is in CopyRetryTest.
 */
class NothingDestroyedTest {

    @BeforeAll
    static void workers() {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
    }

    @Test
    void theSourcesOwnServerUnderAnotherNameIsRefusedAsDestination() {
        PgCluster source = TestStack.get().source();
        source.createDatabase("nd_itself");
        source.execute("nd_itself", "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 10)");
        createProfile("nd-same-src", source);
        request().body(Map.of("id", "nd-same-dst", "host", "localhost", "port", source.port(), "username", PgCluster.USER,
                "password", PgCluster.PASSWORD, "sslMode", "disable")).post("/v1/connection-profiles").then().statusCode(200);
        createJob("nd-same", "nd-same", List.of("nd_itself")).then().statusCode(400)
                .body(containsString("same PostgreSQL server")).body(containsString("nd-same-dst"));
        job("nd-same").then().statusCode(404);
        assertEquals("10", source.queryForString("nd_itself", "SELECT count(*) FROM t"));
    }

    @Test
    void aPurgeDropsOnlyTheDatabasesTheJobCreated() {
        PgCluster source = TestStack.get().source();
        PgCluster destination = TestStack.get().destination();
        for (String db : List.of("nd_made", "nd_adopted")) {
            source.createDatabase(db);
            source.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT i, 'v' || i FROM generate_series(1, 1000) i");
        }
        // The user made this one, empty (no table): the job migrates into it, but it stays the user's.
        destination.createDatabase("nd_adopted");
        destination.execute("nd_adopted", "CREATE SCHEMA users_own");
        createProfiles("nd");
        createJob("nd-1", "nd", List.of("nd_made", "nd_adopted")).then().statusCode(200);
        action("nd-1", "start").then().statusCode(200);
        awaitStatus("nd-1", "RUNNING/CDC", 120);

        request().delete("/v1/migration-jobs/nd-1?purgeDestination=true").then().statusCode(200);
        awaitStatus("nd-1", "404", 60);
        assertEquals("0", destination.queryForString("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'nd_made'"),
                "the database the job created is purged");
        assertEquals("1000", destination.queryForString("nd_adopted", "SELECT count(*) FROM t"), "the user's database is kept");
        assertEquals("1", destination.queryForString("nd_adopted", "SELECT count(*) FROM pg_namespace WHERE nspname = 'users_own'"));
    }

    @Test
    void aPromotedDatabaseIsKeptByAPurge() {
        PgCluster source = TestStack.get().source();
        PgCluster destination = TestStack.get().destination();
        source.createDatabase("nd_promoted");
        source.execute("nd_promoted", "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 500)");
        createProfiles("ndp");
        createJob("nd-2", "ndp", List.of("nd_promoted")).then().statusCode(200);
        action("nd-2", "start").then().statusCode(200);
        awaitStatus("nd-2", "RUNNING/CDC", 120);
        action("nd-2", "promote").then().statusCode(200);
        awaitStatus("nd-2", "COMPLETED", 120);

        request().delete("/v1/migration-jobs/nd-2?purgeDestination=true").then().statusCode(200);
        awaitStatus("nd-2", "404", 60);
        assertEquals("500", destination.queryForString("nd_promoted", "SELECT count(*) FROM t"),
                "after promote the destination is the user's database: a purge keeps it");
        List<String> messages = request().get("/v1/migration-jobs/nd-2/events").then().statusCode(200).extract().jsonPath()
                .getList("events.message");
        assertTrue(messages.stream().anyMatch(m -> m != null && m.contains("destination databases kept: the job was promoted")),
                "the events say why: " + messages);
    }
}
