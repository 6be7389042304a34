package dms.common.messages;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataVerificationTest {

    private static TableCheck table(String db, String name, TableCheck.Result result) {
        return new TableCheck(db, "public", name, result, 10L, result == TableCheck.Result.DIFFERS ? 9L : 10L, 1, null);
    }

    @Test
    void finishesWhenTheLastDatabaseReportsItsEnd() throws Exception {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        DataVerification v = DataVerification.started("c1", at, List.of("a", "b"))
                .withTable(table("a", "t1", TableCheck.Result.EQUAL))
                .withTable(table("a", "t2", TableCheck.Result.DIFFERS))
                .withDatabaseDone("a", "compared directly", at);
        assertFalse(v.finished());
        assertEquals(List.of("b"), v.databasesPending());
        v = v.withTable(table("b", "t3", TableCheck.Result.SKIPPED)).withDatabaseDone("b", null, at);
        assertTrue(v.finished());
        assertEquals(List.of(1, 1, 1), List.of(v.tablesEqual(), v.tablesDiffering(), v.tablesSkipped()));
        assertEquals(List.of("a: compared directly"), v.notes());
        assertEquals(v, Json.read(Json.write(v), DataVerification.class), "survives the job document's JSON");
    }

    @Test
    void listsAtMostMaxListedTablesButCountsThemAll() {
        DataVerification v = DataVerification.started("c1", Instant.now(), List.of("a"));
        for (int i = 0; i < DataVerification.MAX_LISTED + 5; i++) {
            v = v.withTable(table("a", "t" + i, TableCheck.Result.EQUAL));
        }
        assertEquals(DataVerification.MAX_LISTED, v.tables().size());
        assertEquals(5, v.tablesNotListed());
        assertEquals(DataVerification.MAX_LISTED + 5, v.tablesEqual());
    }

    @Test
    void aWorkerReportCarriesItsTableCheck() throws Exception {
        WorkerEvent.DataChecked e = new WorkerEvent.DataChecked(WorkerEvent.Header.of("job", 3, "a", "w"),
                new WorkerEvent.DataCheckReport("c1", table("a", "t", TableCheck.Result.DIFFERS), false, null));
        WorkerEvent back = Json.read(Json.write(e), WorkerEvent.class);
        assertEquals(e, back);
        assertNull(back.signal(), "a data check moves no job");
    }

    @Test
    void aDatabaseGivenUpEndsTheCheckAndIsNamedAsNotChecked() throws Exception {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        DataVerification v = DataVerification.started("c1", at, List.of("a", "b"))
                .withTable(table("a", "t1", TableCheck.Result.EQUAL))
                .withDatabaseDone("a", null, at)
                .withDatabaseNotChecked("b", "not checked: no dump-worker answered in 3 attempt(s)", at);
        assertTrue(v.finished());
        assertEquals(List.of("b"), v.databasesNotChecked());
        assertEquals(List.of("b: not checked: no dump-worker answered in 3 attempt(s)"), v.notes());
        assertEquals(v, Json.read(Json.write(v), DataVerification.class));
    }

    @Test
    void aVerificationWrittenBeforeDatabasesNotCheckedExistedReadsAsAllChecked() throws Exception {
        DataVerification old = Json.read("{\"id\":\"c1\",\"startedAt\":\"2026-01-01T00:00:00Z\",\"databasesPending\":[\"a\"],"
                + "\"tablesEqual\":0,\"tablesDiffering\":0,\"tablesSkipped\":0,\"tables\":[],\"tablesNotListed\":0,\"notes\":[]}",
                DataVerification.class);
        assertEquals(List.of(), old.databasesNotChecked());
        assertEquals(List.of(), old.withDatabaseDone("a", null, Instant.now()).databasesNotChecked());
    }

    @Test
    void aCheckStoppedEarlySaysSoAndAnOlderReportReadsAsComplete() throws Exception {
        WorkerEvent.DataCheckReport stopped = WorkerEvent.DataCheckReport.stoppedEarly("c1", "stopped after 2 table(s)");
        assertFalse(Json.read(Json.write(stopped), WorkerEvent.DataCheckReport.class).checkedEveryTable());
        WorkerEvent.DataCheckReport old = Json.read("{\"verificationId\":\"c1\",\"databaseDone\":true,\"note\":\"x\"}",
                WorkerEvent.DataCheckReport.class);
        assertTrue(old.checkedEveryTable());
    }
}
