package dms.dump.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.common.messages.ConnectionProfile;
import dms.common.pg.ServerIdentity;
import dms.devstack.PgCluster;
import dms.dump.testing.TestClusters;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Only what the job created is ever dropped: restart and purge against real destination databases. */
class DestinationDatabaseTest {

    private static TestClusters clusters;
    private static PgCluster source;
    private static PgCluster destination;
    private static ConnectionProfile destinationProfile;

    @BeforeAll
    static void start() {
        clusters = TestClusters.start("src", "dst");
        source = clusters.cluster(0);
        destination = clusters.cluster(1);
        destinationProfile = clusters.profile(1);
        for (String db : new String[] {"made", "users", "empty", "other", "released", "itself"}) {
            source.createDatabase(db);
        }
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    @Test
    void restartWipesTheJobsOwnDatabase() throws SQLException {
        prepare("made", "job-a", 1, false);
        destination.execute("made", "CREATE TABLE copied (id int)");
        SQLException again = assertThrows(SQLException.class, () -> prepare("made", "job-a", 1, false),
                "without wipe, the tables are not mixed with a new copy");
        assertTrue(again.getMessage().contains("holds 1 table(s)"), again.getMessage());

        prepare("made", "job-a", 2, true);
        assertEquals("0", destination.queryForString("made", "SELECT count(*) FROM pg_class WHERE relname = 'copied'"),
                "the restart dropped the job's own database and made it anew");
        assertEquals("2", destination.queryForString("made", "SELECT run_epoch FROM dms_internal.created_by_job WHERE job_id = 'job-a'"));

        assertFalse(DestinationDatabase.dropIfCreatedBy(clusters.connector, destinationProfile, "made", "job-b"),
                "another job's purge does not drop it");
        assertTrue(exists("made"));
        assertTrue(DestinationDatabase.dropIfCreatedBy(clusters.connector, destinationProfile, "made", "job-a"));
        assertFalse(exists("made"));
    }

    @Test
    void aDatabaseThatExistedBeforeIsNeverDropped() throws SQLException {
        destination.createDatabase("users");
        destination.execute("users", "CREATE TABLE precious (id int); INSERT INTO precious VALUES (1)");
        for (boolean wipe : new boolean[] {false, true}) {
            SQLException refused = assertThrows(SQLException.class, () -> prepare("users", "job-a", 1, wipe));
            assertTrue(refused.getMessage().contains("destination database users exists and holds 1 table(s)"), refused.getMessage());
            if (wipe) {
                assertTrue(refused.getMessage().contains("job job-a did not create it"), refused.getMessage());
                assertTrue(refused.getMessage().contains("then restart"), "says the way out: " + refused.getMessage());
            }
        }
        assertFalse(DestinationDatabase.dropIfCreatedBy(clusters.connector, destinationProfile, "users", "job-a"));
        assertEquals("1", destination.queryForString("users", "SELECT count(*) FROM precious"), "nothing dropped");
    }

    @Test
    void anEmptyDatabaseThatExistedIsUsedButNotMadeTheJobs() throws SQLException {
        destination.createDatabase("empty");
        prepare("empty", "job-a", 1, false);
        destination.execute("empty", "CREATE TABLE copied (id int)");
        assertThrows(SQLException.class, () -> prepare("empty", "job-a", 2, true), "a restart does not drop it");
        assertFalse(DestinationDatabase.dropIfCreatedBy(clusters.connector, destinationProfile, "empty", "job-a"));
        assertTrue(exists("empty"));
    }

    @Test
    void aDeleteWithoutPurgeHandsTheDatabaseToTheUser() throws SQLException {
        prepare("released", "job-a", 1, false);
        DestinationDatabase.release(clusters.connector, destinationProfile, "released", "job-a");
        assertFalse(DestinationDatabase.dropIfCreatedBy(clusters.connector, destinationProfile, "released", "job-a"),
                "a job of the same id, created again later, does not drop it");
        assertTrue(exists("released"));
        DestinationDatabase.release(clusters.connector, destinationProfile, "gone", "job-a");
    }

    @Test
    void theSourceServerIsNeverTakenForTheDestination() throws SQLException {
        source.execute("itself", "CREATE TABLE t (id int)");
        try (Connection src = source.connect("itself")) {
            // Another profile (host name, not address) of the source's own server.
            ConnectionProfile sameServer = new ConnectionProfile("alias", null, "localhost", source.port(), PgCluster.USER, null,
                    clusters.cipher.encrypt(PgCluster.PASSWORD), "prefer", null);
            assertThrows(ServerIdentity.SameServerException.class, () -> DestinationDatabase.prepare(clusters.connector,
                    sameServer, "itself", src, "job-a", 1, true));
        }
        assertEquals("1", source.queryForString("itself", "SELECT count(*) FROM pg_class WHERE relname = 't'"));
    }

    private static void prepare(String db, String jobId, long runEpoch, boolean wipe) throws SQLException {
        try (Connection src = source.connect(db)) {
            DestinationDatabase.prepare(clusters.connector, destinationProfile, db, src, jobId, runEpoch, wipe);
        }
    }

    private static boolean exists(String db) {
        return "1".equals(destination.queryForString("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + db + "'"));
    }
}
