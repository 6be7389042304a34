package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bin/dms as a new user meets it, against the real API and orchestrator: a failing pre-flight
 * prints its findings and exits 9, lists and --filter read every page, the audit trail and the
 * Operations are readable, a delete on a terminal asks first, a profile is edited and its server's
 * databases listed. (The watch
 * gate, --until and --max-lag, runs in MigrationGuideTest and CliWatchTest on real migrations.)
 */
class CliCommandsTest {
    private static final String P = "clic";
    private static final List<String> JOBS = List.of("clic-1", "clic-2", "clic-3", "clic-4", "clic-5");

    @BeforeAll
    static void jobsOnADatabaseTheSourceDoesNotHave() {
        createProfiles(P);
        for (String job : JOBS) {
            createJob(job, P, List.of("clic_missing")).then().statusCode(200);
        }
    }

    private static BinDms.Result dms(String args) {
        return BinDms.bash("bin/dms " + args, Map.of(), null, 120);
    }

    @Test
    void aFailingPreflightPrintsItsFindingsAndExitsNine() {
        BinDms.Result verify = dms("jobs verify clic-1");
        assertEquals(9, verify.exit(), verify.output());
        assertTrue(verify.output().contains("verify clic-1: pre-flight FAILED"), verify.output());
        assertTrue(verify.output().matches("(?s).*  ERROR SOURCE_DATABASE_MISSING: [^\n]*clic_missing[^\n]*\n    fix: .*"), verify.output());

        // The audit trail shows the pre-flight.
        BinDms.Result events = dms("jobs events clic-1");
        assertEquals(0, events.exit(), events.output());
        assertTrue(events.output().matches("(?s)\\S+  CREATED.*\\S+  PRE_FLIGHT.*"), events.output());
    }

    @Test
    void listsAndFiltersReadEveryPage() {
        BinDms.Result list = dms("jobs list --filter source=clic-src --page-size 2");
        assertEquals(0, list.exit(), list.output());
        for (String job : JOBS) {
            assertTrue(list.output().contains("\n" + job + " "), job + " listed:\n" + list.output());
        }
        // One batch over jobs found on three pages: each job's report.
        BinDms.Result verify = dms("jobs verify --filter 'state=NOT_STARTED source=clic-src' --page-size 2");
        assertEquals(9, verify.exit(), verify.output());
        for (String job : JOBS) {
            assertTrue(verify.output().contains("verify " + job + ": pre-flight FAILED"), verify.output());
        }
    }

    @Test
    void anOperationCanBeReadAndWaitedFor() {
        BinDms.Result async = dms("--format json jobs stop clic-2 --async");
        assertEquals(4, async.exit(), "stop is not allowed before start: " + async.output());
        BinDms.Result verify = dms("--format json jobs verify clic-2 --async");
        Matcher name = Pattern.compile("\"name\" : \"(operations/[^\"]+)\"").matcher(verify.output());
        assertTrue(name.find(), verify.output());
        BinDms.Result describe = dms("operations describe " + name.group(1));
        assertEquals(0, describe.exit(), describe.output());
        assertTrue(describe.output().contains("type:        VERIFY\ntarget:      migrationJobs/clic-2\n"), describe.output());
        BinDms.Result waited = dms("operations wait " + name.group(1).substring("operations/".length()));
        assertEquals(0, waited.exit(), waited.output());
        assertTrue(waited.output().contains("response:    pre-flight FAILED"), waited.output());
        assertEquals(3, dms("operations describe no-such-operation").exit());
    }

    @Test
    void aDeleteOnATerminalAsksFirst() {
        String delete = TestStack.get().repoRoot().resolve("bin/dms") + " jobs delete clic-4 --purge-destination";
        BinDms.Result no = BinDms.onTerminal(delete, "n\n");
        assertEquals(1, no.exit(), no.output());
        assertTrue(no.output().contains("Delete job clic-4? Its slots and publications are dropped on the source, and the databases"
                + " it created on the destination. [y/N]"), no.output());
        assertTrue(no.output().contains("dms: not confirmed: nothing done"), no.output());
        assertEquals("NOT_STARTED", status("clic-4"));

        BinDms.Result yes = BinDms.onTerminal(delete, "y\n");
        assertEquals(0, yes.exit(), yes.output());
        awaitStatus("clic-4", "404");
        // Without a terminal (a script) nothing is asked.
        assertEquals(0, dms("jobs delete clic-5").exit());
        awaitStatus("clic-5", "404");
    }

    @Test
    void aProfileIsEdited() {
        BinDms.Result update = dms("profiles update clic-dst --display-name 'the destination'");
        assertEquals(0, update.exit(), update.output());
        assertEquals("the destination", request().get("/v1/connection-profiles/clic-dst").path("displayName"));
    }

    @Test
    void aProfilesDatabasesAreListed() {
        TestStack.get().source().createDatabase("clic_listed");
        BinDms.Result listed = dms("profiles databases clic-src");
        assertEquals(0, listed.exit(), listed.output());
        assertTrue(listed.output().lines().anyMatch(l -> l.startsWith("clic_listed ")), listed.output());
        assertTrue(listed.output().lines().anyMatch(l -> l.startsWith("postgres ") && l.contains("maintenance")), listed.output());
        BinDms.Result json = dms("--format json profiles databases clic-src");
        assertEquals(0, json.exit(), json.output());
        assertTrue(json.output().contains("\"connectionProfile\" : \"clic-src\"") || json.output().contains("\"connectionProfile\":\"clic-src\""),
                json.output());
        BinDms.Result unknown = dms("profiles databases clic-none");
        assertEquals(3, unknown.exit(), unknown.output());
    }
}
