package dms.orchestrator.dump;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.TableProgress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A table's copy as the job document shows it: its units taken together, the unfinished ones listed first. */
class DumpProgressTest {

    @Test
    void unitsOfATableMakeOneStateAndTheUnfinishedComeFirst() {
        List<TableProgress> tables = DumpProgress.perTable(List.of(
                unit("done", CopyUnitEntity.State.COPIED, 1000, 2_000_000, 100L),
                unit("big", CopyUnitEntity.State.COPIED, 500, 1_000_000, 50L),
                unit("big", CopyUnitEntity.State.COPYING, 0, 0, null),
                unit("big", CopyUnitEntity.State.QUEUED, 0, 0, null),
                unit("waiting", CopyUnitEntity.State.QUEUED, 0, 0, null),
                unit("broken", CopyUnitEntity.State.COPIED, 10, 100, 1L),
                unit("broken", CopyUnitEntity.State.FAILED, 0, 0, null)));
        assertEquals(List.of("public.broken", "public.big", "public.waiting", "public.done"),
                tables.stream().map(TableProgress::table).toList());
        assertEquals(List.of(TableProgress.State.FAILED, TableProgress.State.COPYING, TableProgress.State.QUEUED,
                TableProgress.State.COPIED), tables.stream().map(TableProgress::state).toList());
        TableProgress done = tables.get(3);
        assertEquals(1000, done.rows());
        assertEquals(20.0, done.megabytesPerSecond(), "2 MB in 100 ms");
        assertNull(tables.get(2).megabytesPerSecond(), "nothing copied yet: no rate");
        assertEquals(3_000, tables.get(1).bytesEstimated(), "a table's estimate is that of its units together (a bar's scale)");
    }

    @Test
    void aTableWaitingToRetryShowsItsLastErrorAndWhenItIsDue() {
        Instant due = Instant.parse("2025-01-01T12:00:05Z");
        CopyUnitEntity waiting = unit("t", CopyUnitEntity.State.QUEUED, 0, 0, null);
        waiting.attempts = 1;
        waiting.error = "lock timeout";
        waiting.notBefore = due;
        CopyUnitEntity fine = unit("fine", CopyUnitEntity.State.QUEUED, 0, 0, null);
        List<TableProgress> tables = DumpProgress.perTable(List.of(waiting, fine));
        TableProgress t = tables.stream().filter(p -> p.table().equals("public.t")).findFirst().orElseThrow();
        assertEquals(TableProgress.State.QUEUED, t.state());
        assertEquals(1, t.attempts());
        assertEquals("lock timeout", t.error());
        assertEquals(due, t.retryTime());
        TableProgress other = tables.stream().filter(p -> p.table().equals("public.fine")).findFirst().orElseThrow();
        assertNull(other.attempts(), "no failure: nothing said");
        assertNull(other.error());
        assertNull(other.retryTime());

        waiting.state = CopyUnitEntity.State.COPYING; // the second attempt runs: the last error still shows, no due time
        waiting.attempts = 2;
        waiting.notBefore = null;
        t = DumpProgress.perTable(List.of(waiting)).get(0);
        assertEquals(2, t.attempts());
        assertEquals("lock timeout", t.error());
        assertNull(t.retryTime());
    }

    private static CopyUnitEntity unit(String table, CopyUnitEntity.State state, long rows, long bytes, Long millis) {
        CopyUnitEntity u = new CopyUnitEntity();
        u.schemaName = "public";
        u.tableName = table;
        u.state = state;
        u.rowsCopied = state == CopyUnitEntity.State.COPIED ? rows : null;
        u.bytesCopied = state == CopyUnitEntity.State.COPIED ? bytes : null;
        u.millis = millis;
        u.estimatedBytes = 1_000;
        return u;
    }
}
