package dms.common.verify.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.common.messages.ConnectionProfile;
import dms.common.messages.PreflightReport;
import dms.common.messages.PreflightReport.Finding;
import dms.common.messages.PreflightReport.Severity;
import dms.common.messages.ReplicationNames;
import dms.common.messages.RoleHandling;
import dms.common.pg.internal.DatabaseOwnership;
import dms.common.pg.PgConnector;
import java.sql.Connection;
import dms.common.secret.SecretCipher;
import dms.devstack.FreePorts;
import dms.devstack.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pre-flight against two real servers: one set up for logical replication, one left at
 * wal_level=replica with no slot to spare.
 */
class PreflightCheckTest {

    private static Path dir;
    private static PgCluster logical;
    private static PgCluster replicaOnly;
    private static final PgConnector CONNECTOR = new PgConnector(new SecretCipher(SecretCipher.DEVELOPMENT_KEY), "preflight-test");
    private static final PreflightCheck CHECK = new PreflightCheck(CONNECTOR, Duration.ofSeconds(10));

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "dms-preflight-test-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        logical = new PgCluster("logical", dir.resolve("logical")).setting("wal_level", "logical")
                .setting("max_replication_slots", "4").setting("max_wal_senders", "4");
        replicaOnly = new PgCluster("replica-only", dir.resolve("replica")).setting("wal_level", "replica")
                .setting("max_replication_slots", "0");
        Stream.of(logical, replicaOnly).parallel().forEach(PgCluster::start);
        String tables = """
                CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);
                CREATE TABLE audit_full (at timestamptz, what text);
                ALTER TABLE audit_full REPLICA IDENTITY FULL;
                """;
        logical.createDatabase("shop");
        logical.execute("shop", tables);
        replicaOnly.createDatabase("legacy");
        replicaOnly.execute("legacy", tables + "CREATE TABLE audit (at timestamptz, what text);");
        for (PgCluster side : List.of(logical, replicaOnly)) {
            side.createDatabase("dup");
            side.execute("dup", "CREATE TABLE kept (id int PRIMARY KEY)");
        }
        logical.createDatabase("messy");
        logical.execute("messy", """
                CREATE UNLOGGED TABLE scratch (id int PRIMARY KEY);
                CREATE TABLE secret (id int PRIMARY KEY);
                SELECT lo_create(7001);
                SELECT lo_create(7002);
                CREATE ROLE reader LOGIN PASSWORD 'reader';
                GRANT SELECT ON LARGE OBJECT 7001 TO reader;
                GRANT SELECT ON scratch TO reader;
                CREATE SEQUENCE hidden_seq;
                """);
        logical.createDatabase("owned");
        logical.execute("owned", """
                CREATE ROLE app_owner NOLOGIN REPLICATION;
                CREATE TABLE accounts (id int PRIMARY KEY);
                ALTER TABLE accounts OWNER TO app_owner;
                """);
        logical.createDatabase("keyless");
        logical.execute("keyless", "CREATE TABLE log (at timestamptz, what text); GRANT SELECT ON log TO reader;");
        replicaOnly.execute("postgres", "CREATE ROLE no_createrole LOGIN PASSWORD 'x'; CREATE ROLE may_createrole LOGIN CREATEROLE PASSWORD 'x'");
    }

    @AfterAll
    static void stop() throws IOException {
        Stream.of(logical, replicaOnly).forEach(PgCluster::close);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aGoodPairHasNoFinding() {
        PreflightReport report = CHECK.run("job", profile(logical), profile(replicaOnly), List.of("shop"), null);
        assertEquals(List.of(), report.findings());
        assertTrue(report.passed());
        assertTrue(report.sourceSizeBytes().get("shop") > 0, "rough size of each database");
        assertTrue(report.sourceVersion().startsWith("1"), report.sourceVersion());
    }

    @Test
    void replicaWalLevelATableWithoutKeyAndNoSlotAreExactlyWhatIsReported() {
        PreflightReport report = CHECK.run("job", profile(replicaOnly), profile(logical), List.of("legacy"), null);
        assertEquals(Set.of(FindingCode.WAL_LEVEL_NOT_LOGICAL, FindingCode.TABLE_WITHOUT_PRIMARY_KEY,
                FindingCode.NOT_ENOUGH_REPLICATION_SLOTS), codes(report), report.toString());
        Finding noKey = find(report, FindingCode.TABLE_WITHOUT_PRIMARY_KEY);
        assertEquals(List.of("public.audit"), noKey.objects(), "REPLICA IDENTITY FULL is enough");
        assertEquals(Severity.WARNING, noKey.severity());
        assertEquals(Severity.ERROR, find(report, FindingCode.WAL_LEVEL_NOT_LOGICAL).severity());
        assertFalse(report.passed());
        assertTrue(find(report, FindingCode.NOT_ENOUGH_REPLICATION_SLOTS).action().contains("max_replication_slots to at least 1"));
    }

    @Test
    void withTheReplicaIdentityFullConsentATableWithoutKeyIsSetAtStartIfTheUserOwnsIt() {
        PreflightReport without = CHECK.run("job", profile(logical), profile(replicaOnly), List.of("keyless"), null, false);
        assertTrue(find(without, FindingCode.TABLE_WITHOUT_PRIMARY_KEY).action().contains("replicaIdentityFull"), without.toString());

        PreflightReport consent = CHECK.run("job", profile(logical), profile(replicaOnly), List.of("keyless"), null, true);
        Finding noKey = find(consent, FindingCode.TABLE_WITHOUT_PRIMARY_KEY);
        assertEquals(Severity.WARNING, noKey.severity());
        assertEquals(List.of("public.log"), noKey.objects());
        assertTrue(noKey.message().contains("the job sets REPLICA IDENTITY FULL on them"), noKey.message());
        assertFalse(codes(consent).contains(FindingCode.REPLICA_IDENTITY_NOT_SETTABLE), consent.toString());

        ConnectionProfile reader = new ConnectionProfile("reader", null, "127.0.0.1", logical.port(), "reader", "reader", null,
                "disable", null);
        PreflightReport notOwner = CHECK.run("job", reader, profile(replicaOnly), List.of("keyless"), null, true);
        Finding cannot = find(notOwner, FindingCode.REPLICA_IDENTITY_NOT_SETTABLE);
        assertEquals(Severity.ERROR, cannot.severity());
        assertEquals(List.of("public.log"), cannot.objects());
    }

    @Test
    void unloggedTablesLargeObjectsUnreadableTablesSequencesAndLargeObjectsAndAMissingReplicationRight() {
        ConnectionProfile reader = new ConnectionProfile("reader", null, "127.0.0.1", logical.port(), "reader", "reader", null,
                "disable", null);
        PreflightReport report = CHECK.run("job", reader, profile(replicaOnly), List.of("messy"), null);
        assertEquals(Set.of(FindingCode.UNLOGGED_TABLE, FindingCode.LARGE_OBJECTS, FindingCode.MISSING_READ_PRIVILEGE,
                FindingCode.MISSING_REPLICATION_PRIVILEGE, FindingCode.SEQUENCE_NOT_READABLE, FindingCode.ROLES_MISSING_ON_DESTINATION,
                FindingCode.LARGE_OBJECT_NOT_READABLE), codes(report), report.toString());
        assertEquals(List.of("7002"), find(report, FindingCode.LARGE_OBJECT_NOT_READABLE).objects(), "7001 is granted to it");
        assertEquals(Severity.WARNING, find(report, FindingCode.LARGE_OBJECTS).severity());
        assertEquals(List.of("public.hidden_seq"), find(report, FindingCode.SEQUENCE_NOT_READABLE).objects());
        assertEquals(Severity.ERROR, find(report, FindingCode.SEQUENCE_NOT_READABLE).severity());
        assertEquals(List.of("reader"), find(report, FindingCode.ROLES_MISSING_ON_DESTINATION).objects(), "granted SELECT");
        assertEquals(List.of("public.secret"), find(report, FindingCode.MISSING_READ_PRIVILEGE).objects());
        assertEquals(List.of("public.scratch"), find(report, FindingCode.UNLOGGED_TABLE).objects());
    }

    /** PostgreSQL 12 (no logical decoding messages in pgoutput): taken, saying that the markers take a table there. */
    @Test
    void aSourceBeforeFourteenPassesSayingItsMarkersTakeATable() {
        PgCluster pg12 = new PgCluster("pg12", dir.resolve("pg12"), 12).setting("wal_level", "logical").start();
        try {
            pg12.createDatabase("old");
            pg12.execute("old", "CREATE TABLE t (id int PRIMARY KEY)");
            PreflightReport report = CHECK.run("job", profile(pg12), profile(logical), List.of("old"), null);
            assertEquals(Set.of(FindingCode.MARKER_TABLE_ON_SOURCE), codes(report), report.toString());
            assertEquals(Severity.WARNING, find(report, FindingCode.MARKER_TABLE_ON_SOURCE).severity());
            assertTrue(report.passed());
            assertTrue(report.sourceVersion().startsWith("12."), report.sourceVersion());
        } finally {
            pg12.close();
        }
    }

    @Test
    void aSourceNewerThanTheDeclaredPgDumpIsAnErrorNamingTheMajorItNeeds() {
        int major = Integer.parseInt(logical.queryForString("postgres", "SELECT current_setting('server_version_num')::int / 10000"));
        PreflightReport older = new PreflightCheck(CONNECTOR, Duration.ofSeconds(10), major - 1)
                .run("job", profile(logical), profile(replicaOnly), List.of("shop"), null);
        assertEquals(Set.of(FindingCode.PG_DUMP_TOO_OLD), codes(older), older.toString());
        assertTrue(find(older, FindingCode.PG_DUMP_TOO_OLD).message().endsWith("pg_dump is " + (major - 1)
                + " (dms.preflight.pg-dump-major): pg_dump dumps servers of its own major and older, this source needs pg_dump "
                + major + " or newer"), older.toString());
        assertFalse(older.passed());
        PreflightReport same = new PreflightCheck(CONNECTOR, Duration.ofSeconds(10), major)
                .run("job", profile(logical), profile(replicaOnly), List.of("shop"), null);
        assertEquals(Set.of(), codes(same), same.toString());
    }

    @Test
    void aMissingSourceDatabaseAndADestinationDatabaseWithTables() {
        PreflightReport report = CHECK.run("job", profile(logical), profile(replicaOnly), List.of("shop", "nowhere"), null);
        assertEquals(Set.of(FindingCode.SOURCE_DATABASE_MISSING), codes(report), report.toString());
        assertEquals(List.of("nowhere"), find(report, FindingCode.SOURCE_DATABASE_MISSING).objects());
        // A destination that holds a "dup" database with tables already: the dump would refuse it.
        PreflightReport into = CHECK.run("job", profile(logical), profile(replicaOnly), List.of("shop", "dup"), null);
        assertEquals(Set.of(FindingCode.DESTINATION_DATABASE_NOT_EMPTY), codes(into), into.toString());
        assertEquals("dup", find(into, FindingCode.DESTINATION_DATABASE_NOT_EMPTY).database());
    }

    @Test
    void aRestartCountsTheJobsOwnSlotAndDatabaseAsItsOwn() throws Exception {
        logical.createDatabase("mine");
        logical.execute("mine", "CREATE TABLE t (id int PRIMARY KEY)");
        replicaOnly.createDatabase("mine");
        replicaOnly.execute("mine", "CREATE TABLE t (id int PRIMARY KEY)");
        List<String> slots = List.of(ReplicationNames.slot("job-r", "mine"), "other_1", "other_2", "other_3");
        try {
            for (String slot : slots) { // max_replication_slots = 4: all in use, one of them the job's
                logical.execute("mine", "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            }
            PreflightReport notOurs = CHECK.runForRestart("job-r", profile(logical), profile(replicaOnly), List.of("mine"), null, false);
            assertEquals(Set.of(FindingCode.DESTINATION_DATABASE_NOT_EMPTY), codes(notOurs), notOurs.toString());
            assertTrue(find(notOurs, FindingCode.DESTINATION_DATABASE_NOT_EMPTY).message().contains("job job-r did not create it"));

            try (Connection dst = replicaOnly.connect("mine")) {
                DatabaseOwnership.mark(dst, "job-r", 1);
            }
            PreflightReport ours = CHECK.runForRestart("job-r", profile(logical), profile(replicaOnly), List.of("mine"), null, false);
            assertEquals(List.of(), ours.findings(), "the restart replaces its slot and drops the database it created");
            PreflightReport start = CHECK.run("job-s", profile(logical), profile(replicaOnly), List.of("mine"), null, false);
            assertEquals(Set.of(FindingCode.DESTINATION_DATABASE_NOT_EMPTY, FindingCode.NOT_ENOUGH_REPLICATION_SLOTS), codes(start),
                    "another job's start has neither: " + start);
        } finally {
            for (String slot : slots) {
                logical.execute("mine", "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                        + slot + "'");
            }
        }
    }

    @Test
    void aJobOfSeveralReplicationGroupsNeedsASlotForEach() {
        logical.createDatabase("grouped");
        logical.execute("grouped", "CREATE TABLE t (id int PRIMARY KEY)");
        String slot = ReplicationNames.slot("job-g", "grouped");
        List<String> slots = List.of(slot, slot + "_g1", "other_1", "other_2");
        try {
            for (String s : slots) { // max_replication_slots = 4: all in use, two of them the job's groups'
                logical.execute("grouped", "SELECT pg_create_logical_replication_slot('" + s + "', 'pgoutput')");
            }
            PreflightReport two = CHECK.runForRestart("job-g", profile(logical), profile(replicaOnly), List.of("grouped"), null, false, 2);
            assertEquals(List.of(), two.findings(), "the restart replaces both groups' slots");
            PreflightReport three = CHECK.runForRestart("job-g", profile(logical), profile(replicaOnly), List.of("grouped"), null, false, 3);
            assertEquals(Set.of(FindingCode.NOT_ENOUGH_REPLICATION_SLOTS), codes(three), three.toString());
            assertTrue(find(three, FindingCode.NOT_ENOUGH_REPLICATION_SLOTS).message().contains("3 replication slot(s), one per database"
                    + " and replication group (cdcParallelism 3)"), three.toString());
        } finally {
            for (String s : slots) {
                logical.execute("grouped", "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + s + "'");
            }
        }
    }

    @Test
    void missingRolesAreListedWithWhatTheJobWillDoAsItsRolesSettingSays() {
        PreflightReport created = CHECK.run("job", profile(logical), profile(replicaOnly), List.of("owned"), null);
        Finding missing = find(created, FindingCode.ROLES_MISSING_ON_DESTINATION);
        assertEquals(List.of("app_owner"), missing.objects());
        assertEquals(Severity.WARNING, missing.severity());
        assertTrue(missing.message().contains("the job creates them"), missing.message());
        assertTrue(created.passed());

        PreflightReport required = CHECK.run("job", profile(logical), profile(replicaOnly), List.of("owned"), RoleHandling.REQUIRE_EXISTING);
        assertEquals(Severity.ERROR, find(required, FindingCode.ROLES_MISSING_ON_DESTINATION).severity());
        assertFalse(required.passed());

        PreflightReport skipped = CHECK.run("job", profile(logical), profile(replicaOnly), List.of("owned"), RoleHandling.SKIP);
        Finding skipping = find(skipped, FindingCode.ROLES_MISSING_ON_DESTINATION);
        assertEquals(Severity.WARNING, skipping.severity());
        assertTrue(skipping.message().contains("SKIP: no role is created, no owner or grant is restored"), skipping.message());
        assertTrue(skipped.passed(), "no owner and no grant restored: no role needed");

        PreflightReport cannotCreate = CHECK.run("job", profile(logical), user(replicaOnly, "no_createrole"), List.of("owned"), null);
        assertEquals(Severity.ERROR, find(cannotCreate, FindingCode.MISSING_CREATEROLE_PRIVILEGE).severity(), cannotCreate.toString());

        // A CREATEROLE user that is no superuser creates it, without the attributes only a superuser grants.
        PreflightReport createRole = CHECK.run("job", profile(logical), user(replicaOnly, "may_createrole"), List.of("owned"), null);
        String message = find(createRole, FindingCode.ROLES_MISSING_ON_DESTINATION).message();
        assertTrue(message.contains("app_owner without REPLICATION"), message);
    }

    @Test
    void oneServerUnderTwoNamesIsRefusedAsSourceAndDestination() {
        // 127.0.0.1 and localhost: two profiles, one server. Only the identity check tells.
        ConnectionProfile byName = new ConnectionProfile("by-name", null, "localhost", logical.port(), PgCluster.USER,
                PgCluster.PASSWORD, null, "disable", null);
        PreflightReport report = CHECK.run("job", profile(logical), byName, List.of("shop"), null);
        assertEquals(Set.of(FindingCode.SAME_SERVER), codes(report), report.toString());
        assertEquals(Severity.ERROR, find(report, FindingCode.SAME_SERVER).severity());
        assertFalse(report.passed());
    }

    @Test
    void unreachableServersAndWrongPasswordsAreNamed() {
        ConnectionProfile closed = new ConnectionProfile("closed", null, "127.0.0.1", FreePorts.pick(), "dms", "dms", null,
                "disable", null);
        ConnectionProfile wrongPassword = new ConnectionProfile("wrong", null, "127.0.0.1", logical.port(), "dms", "nope", null,
                "disable", null);
        PreflightReport report = CHECK.run("job", closed, wrongPassword, List.of("shop"), null);
        assertEquals(List.of(FindingCode.CONNECTION_FAILED, FindingCode.AUTHENTICATION_FAILED),
                report.findings().stream().map(Finding::code).toList(), report.toString());
        assertEquals(PreflightReport.Side.DESTINATION, report.findings().get(1).side());
    }

    private static ConnectionProfile profile(PgCluster pg) {
        return new ConnectionProfile(pg.name(), null, "127.0.0.1", pg.port(), PgCluster.USER, PgCluster.PASSWORD, null,
                "disable", null);
    }

    private static ConnectionProfile user(PgCluster pg, String user) {
        return new ConnectionProfile(user, null, "127.0.0.1", pg.port(), user, "x", null, "disable", null);
    }

    private static Set<String> codes(PreflightReport report) {
        return report.findings().stream().map(Finding::code).collect(Collectors.toSet());
    }

    private static Finding find(PreflightReport report, String code) {
        return report.findings().stream().filter(f -> f.code().equals(code)).findFirst().orElseThrow();
    }
}
