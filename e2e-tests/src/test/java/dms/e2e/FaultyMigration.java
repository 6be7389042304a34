package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.devstack.DevStack;
import dms.devstack.PgCluster;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * One job's migration for the tests that kill or stop a part of the system under it: a source
 * database holding the table of a {@link SourceLoad} and, if asked, {@code big} (several copy
 * units, for a dump to be caught mid-copy); the job's state as the control database holds it
 * (what the orchestrator decided, whatever the API shows); promote and the final check of the data.
 */
final class FaultyMigration {

    final String jobId;
    final String db;
    private final PgCluster source;
    private final PgCluster destination;
    private final PgCluster control;
    /** Every table of the database, with its key columns. */
    private final Map<String, List<String>> tables = new LinkedHashMap<>(Map.of(SourceLoad.TABLE, List.of("id"),
            SourceLoad.LOG_TABLE, List.of()));

    /** Job {@code <prefix>-1} of database {@code <prefix>_db}, from the stack's source to its destination. */
    FaultyMigration(String prefix, DevStack stack) {
        this(prefix, stack.source(), stack.destination(), stack.control());
    }

    /** The same between two clusters of one's own; {@code control} is the control database's cluster of the stack. */
    FaultyMigration(String prefix, PgCluster source, PgCluster destination, PgCluster control) {
        this.jobId = prefix + "-1";
        this.db = prefix.replace('-', '_') + "_db";
        this.source = source;
        this.destination = destination;
        this.control = control;
        source.createDatabase(db);
        SourceLoad.createTable(source, db);
        createProfile(prefix + "-src", source);
        createProfile(prefix + "-dst", destination);
        createJob(jobId, prefix, List.of(db)).then().statusCode(200);
    }

    /** Fills {@code big} with {@code rows} rows of about 200 bytes (7,500 rows: a copy unit of 1.6 MB). */
    FaultyMigration withBigTable(int rows) {
        source.execute(db, "CREATE TABLE big (id bigint PRIMARY KEY, body text);"
                + " INSERT INTO big SELECT g, repeat(md5(g::text), 6) FROM generate_series(1, " + rows + ") g; ANALYZE");
        tables.put("big", List.of("id"));
        return this;
    }

    void start() {
        action(jobId, "start").then().statusCode(200);
    }

    /** A load on the source, its transactions from {@code first} on. */
    SourceLoad load(int first, int transactions) {
        return SourceLoad.start(source, db, first, transactions);
    }

    SourceLoad load(int first, int transactions, Duration pause) {
        return SourceLoad.start(source, db, first, transactions, pause);
    }

    /** Waits until the dump has copied some units, not all: the moment to kill a service mid-copy. */
    void awaitMidCopy() {
        awaitStatus(jobId, "RUNNING/FULL_DUMP", 60);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> job(jobId).jsonPath().getLong("databaseProgress[0].rowsCopied") > 0);
        JsonPath doc = job(jobId).jsonPath();
        assertTrue(doc.getDouble("databaseProgress[0].percentCopied") < 100.0, () -> "caught mid-copy: " + doc.prettify());
    }

    /** {@code STATE/PHASE} of the job in the control database, which only the orchestrator writes. */
    String controlStatus() {
        return control.queryForString(DevStack.CONTROL_DATABASE,
                "SELECT state || coalesce('/' || phase, '') FROM migration_job WHERE id = '" + jobId + "'");
    }

    /**
     * The API shows the job as the orchestrator last decided it: its document's version reaches the
     * control database's (read first; the API may be ahead by the time it answers, never behind for long)
     * and it shows the same status.
     */
    void awaitApiShowsControlState() {
        long version = Long.parseLong(control.queryForString(DevStack.CONTROL_DATABASE,
                "SELECT doc_version FROM migration_job WHERE id = '" + jobId + "'"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonPath doc = job(jobId).jsonPath();
            assertTrue(doc.getLong("version") >= version, () -> "the API's document is version " + doc.getLong("version")
                    + ", the control database's " + version);
            String phase = doc.getString("phase");
            assertEquals(controlStatus(), doc.getString("state") + (phase == null ? "" : "/" + phase));
        });
    }

    /** Both sides hold the same rows, the load's {@code transactions} exactly once. */
    void awaitSameRows(int transactions) {
        SourceLoad.awaitSameRows(source, destination, db, tables, transactions);
    }

    Map<String, List<String>> tables() {
        return tables;
    }

    /** RUNNING/CDC with no error, the database's passing error cleared too: the job is back to normal by itself. */
    void assertStreaming(JobWatch watch) {
        JsonPath doc = job(jobId).jsonPath();
        assertEquals("RUNNING/CDC", doc.getString("state") + "/" + doc.getString("phase"),
                () -> "seen: " + watch.statuses + "\n" + doc.prettify());
        assertNull(doc.get("error"), doc::prettify);
        assertNull(doc.get("databaseProgress[0].error"), () -> "the passing error is cleared once the stream is back: " + doc.prettify());
    }

    /** Promote through the API: COMPLETED, the tables still equal, the slot dropped; then the job is deleted. */
    void promoteAndDelete(int transactions) {
        action(jobId, "promote").then().statusCode(200);
        awaitStatus(jobId, "COMPLETED", 120);
        awaitSameRows(transactions);
        assertEquals("0", source.queryForString(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'dms_"
                + jobId.replace('-', '_') + "_%'"), "slot dropped at promote");
        delete();
    }

    /** Deletes the job (the slot is dropped with it) with purgeDestination (a promoted job's databases stay). */
    void delete() {
        request().delete("/v1/migration-jobs/" + jobId + "?purgeDestination=true").then().statusCode(200);
        awaitStatus(jobId, "404", 60);
    }
}
