package dms.orchestrator.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.common.messages.DatabaseProgress;
import dms.common.messages.WorkerEvent;
import dms.orchestrator.lifecycle.ReportedProgress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetainedWalWarningTest {

    private static final long MB = 1024 * 1024;
    private final RetainedWalWarning warnings = new RetainedWalWarning(0.8, 100 * MB);

    @Test
    void onceWhenTheShareOfMaxSlotWalKeepSizeIsCrossed() {
        DatabaseProgress p = report(DatabaseProgress.initial("db"), 10 * MB, 64 * MB);
        RetainedWalWarning.Outcome under = warnings.check(p);
        assertEquals(Optional.empty(), under.warning());
        assertNull(under.progress().retainedWalWarning());

        RetainedWalWarning.Outcome crossing = warnings.check(report(under.progress(), 52 * MB, 64 * MB));
        assertTrue(crossing.progress().retainedWalWarning());
        String text = crossing.warning().orElseThrow();
        assertTrue(text.startsWith("slot dms_j_db retains 52 MB of WAL on the source, over 80% of the source's"
                + " max_slot_wal_keep_size (64 MB): past it the source invalidates the slot"), text);

        RetainedWalWarning.Outcome still = warnings.check(report(crossing.progress(), 60 * MB, 64 * MB));
        assertEquals(Optional.empty(), still.warning(), "not at every report");
        RetainedWalWarning.Outcome hovering = warnings.check(report(still.progress(), 50 * MB, 64 * MB));
        assertEquals(Optional.empty(), hovering.warning());
        assertTrue(hovering.progress().retainedWalWarning(), "just under the level: still over it (90% re-arms)");

        RetainedWalWarning.Outcome freed = warnings.check(report(hovering.progress(), 1 * MB, 64 * MB));
        assertNull(freed.progress().retainedWalWarning());
        assertTrue(warnings.check(report(freed.progress(), 55 * MB, 64 * MB)).warning().isPresent(), "a new crossing");
    }

    @Test
    void theConfiguredLevelWhereTheSourceSetsNoBound() {
        DatabaseProgress p = report(DatabaseProgress.initial("db"), 99 * MB, -1);
        assertEquals(Optional.empty(), warnings.check(p).warning());
        String text = warnings.check(report(p, 100 * MB, -1)).warning().orElseThrow();
        assertTrue(text.contains("over the warning level of 100 MB (dms.slot.retained-wal-warning-bytes; the source sets no"
                + " max_slot_wal_keep_size)"), text);
    }

    @Test
    void nothingWithoutAMeasure() {
        RetainedWalWarning.Outcome none = warnings.check(DatabaseProgress.initial("db"));
        assertEquals(Optional.empty(), none.warning());
        assertNull(none.progress().retainedWalWarning());
    }

    private static DatabaseProgress report(DatabaseProgress before, long retained, long maxKeep) {
        WorkerEvent.Header header = WorkerEvent.Header.of("j", 1, "db", "w");
        WorkerEvent e = new WorkerEvent.StreamProgress(header, null, null, retained, maxKeep, null, null);
        DatabaseProgress named = before.slotName() != null ? before : ReportedProgress.merge(before,
                new WorkerEvent.DumpStarted(header, "dms_j_db", "0/1", "snap", null, null, null));
        return ReportedProgress.merge(named, e);
    }
}
