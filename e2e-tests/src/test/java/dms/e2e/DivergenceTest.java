package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.verify.TableChecksum;
import dms.devstack.PgCluster;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No silent divergence (docs/data-path.md, Tables without a key): a table with no primary key and no
 * replica identity is listed in the pre-flight and on the job, and with the job's replicaIdentityFull
 * consent it is set to REPLICA IDENTITY FULL at start so that its UPDATEs and DELETEs replicate; an
 * UPDATE or DELETE that finds no row on the destination is counted on the job and in the cdc-worker's metrics.
 */
class DivergenceTest {

    private static final String TABLES = """
            CREATE TABLE keyed (id int PRIMARY KEY, v text NOT NULL);
            INSERT INTO keyed SELECT i, md5(i::text) FROM generate_series(1, 200) i;
            CREATE TABLE loose (a int, b text);
            INSERT INTO loose SELECT i % 50, md5(i::text) FROM generate_series(1, 300) i;
            """;

    @BeforeAll
    static void workers() {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
        PgCluster source = TestStack.get().source();
        for (String db : List.of("dv_full", "dv_none")) {
            source.createDatabase(db);
            source.execute(db, TABLES);
        }
        createProfiles("dv");
    }

    @Test
    void withConsentATableWithoutKeyGetsReplicaIdentityFullAndItsChangesReplicateAndMissingRowsAreCounted() throws Exception {
        request().body(Map.of("id", "dv-full", "source", "dv-src", "destination", "dv-dst", "databases", List.of("dv_full"),
                "replicaIdentityFull", true)).post("/v1/migration-jobs").then().statusCode(200);
        JsonPath preflight = verify("dv-full");
        assertEquals(List.of("public.loose"), preflight.getList("findings.find { it.code == 'TABLE_WITHOUT_PRIMARY_KEY' }.objects"),
                preflight.prettify());
        assertTrue(preflight.getString("findings.find { it.code == 'TABLE_WITHOUT_PRIMARY_KEY' }.message")
                .contains("the job sets REPLICA IDENTITY FULL on them"), preflight.prettify());
        assertTrue(job("dv-full").jsonPath().getBoolean("replicaIdentityFull"));

        action("dv-full", "start").then().statusCode(200);
        awaitStatus("dv-full", "RUNNING/CDC", 120);
        assertEquals("f", TestStack.get().source().queryForString("dv_full",
                "SELECT relreplident FROM pg_class WHERE oid = 'public.loose'::regclass"));
        List<String> events = request().get("/v1/migration-jobs/dv-full/events").jsonPath().getList("events.message", String.class);
        assertTrue(events.stream().anyMatch(m -> m != null && m.contains("set REPLICA IDENTITY FULL") && m.contains("public.loose")),
                String.valueOf(events));
        assertEquals(List.of(), job("dv-full").jsonPath().getList("databaseProgress[0].tablesWithoutReplicaIdentity"), "none left");

        TestStack.get().source().execute("dv_full", "UPDATE loose SET b = 'changed' WHERE a < 10; DELETE FROM loose WHERE a > 40;"
                + " INSERT INTO loose VALUES (99, NULL)");
        awaitEqual("dv_full", "loose", List.of());

        // A row deleted by hand on the destination: the source's UPDATE of it finds none there.
        TestStack.get().destination().execute("dv_full", "DELETE FROM keyed WHERE id = 7");
        TestStack.get().source().execute("dv_full", "UPDATE keyed SET v = 'after' WHERE id IN (7, 8)");
        // The field is absent until the cdc-worker has counted one: an exception is a "not yet" too.
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
                assertEquals(1, job("dv-full").jsonPath().getInt("databaseProgress[0].unmatchedChanges"), job("dv-full").asString()));
        String metrics = request().baseUri(TestStack.cdcWorker().url()).get("/q/metrics").asString();
        Matcher counter = Pattern.compile("dms_cdc_unmatched_changes_total\\{[^}]*migration_job=\"dv-full\"[^}]*} ([0-9.]+)")
                .matcher(metrics);
        assertTrue(counter.find(), metrics);
        assertEquals(1.0, Double.parseDouble(counter.group(1)));
        awaitEqual("dv_full", "keyed", List.of("id")); // the update inserted the row it missed

        request().delete("/v1/migration-jobs/dv-full?purgeDestination=true").then().statusCode(200);
        awaitStatus("dv-full", "404", 60);
    }

    @Test
    void withoutConsentATableWithoutKeyIsListedAndLeftAsItIs() {
        createJob("dv-none", "dv", List.of("dv_none")).then().statusCode(200);
        JsonPath preflight = verify("dv-none");
        assertEquals("WARNING", preflight.getString("findings.find { it.code == 'TABLE_WITHOUT_PRIMARY_KEY' }.severity"));
        assertEquals(List.of("public.loose"), preflight.getList("findings.find { it.code == 'TABLE_WITHOUT_PRIMARY_KEY' }.objects"));

        action("dv-none", "start").then().statusCode(200);
        awaitStatus("dv-none", "RUNNING/CDC", 120);
        assertEquals(List.of("public.loose"), job("dv-none").jsonPath().getList("databaseProgress[0].tablesWithoutReplicaIdentity"));
        assertEquals("d", TestStack.get().source().queryForString("dv_none",
                "SELECT relreplident FROM pg_class WHERE oid = 'public.loose'::regclass"), "never changed without consent");

        request().delete("/v1/migration-jobs/dv-none?purgeDestination=true").then().statusCode(200);
        awaitStatus("dv-none", "404", 60);
    }

    private static void awaitEqual(String db, String table, List<String> key) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertEquals(checksum(TestStack.get().source(), db, table, key), checksum(TestStack.get().destination(), db, table, key),
                        table + " of " + db));
    }

    private static String checksum(PgCluster cluster, String db, String table, List<String> key) throws Exception {
        try (Connection c = cluster.connect(db)) {
            return TableChecksum.of(c, "public", table, key).toString();
        }
    }
}
