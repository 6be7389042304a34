package dms.cdc.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.cdc.apply.TableRef;
import dms.cdc.promote.DrainResult;
import dms.cdc.testing.CdcFixture;
import dms.cdc.testing.WithClusters;
import dms.common.sql.Lsn;
import dms.devstack.CommonTypes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Inserts, updates and deletes of rows of many types reach the destination exactly (checksums equal). */
class CommonTypesTest extends WithClusters {

    @Test
    void insertsUpdatesAndDeletesOfCommonTypesArriveEqual() throws Exception {
        TableRef types = new TableRef("public", "types");
        CdcFixture f = new CdcFixture(clusters, "types-job", "types_db");
        f.prepare(CommonTypes.SCHEMA, List.of(types));
        // Output styles set on the source database only (a walsender would use them): values still arrive exact.
        f.onSource("ALTER DATABASE types_db SET IntervalStyle = 'sql_standard'");
        f.onSource("ALTER DATABASE types_db SET DateStyle = 'SQL, DMY'");
        CdcStream stream = f.start();
        Lsn before = f.sourceWalLsn();
        CommonTypes.changes().forEach(f::onSource);
        Lsn afterLastCommit = f.sourceWalLsn();
        DrainResult drained = f.drain(stream);
        f.assertSameRows(types, List.of("id"));
        assertTrue(drained.appliedLsn().compareTo(drained.targetLsn()) >= 0, drained.toString());
        assertTrue(drained.targetLsn().compareTo(afterLastCommit) >= 0);
        stream.completion().get(30, TimeUnit.SECONDS); // the drain completes before the engine has stopped
        assertEquals(StreamLifecycle.State.STOPPED, stream.state());
        assertTrue(stream.position().commitLsn().isAfter(before));
        // 13 source transactions + the drain marker
        assertEquals(14, stream.stats().appliedTransactions(), stream.stats().toString());
        assertEquals(f.sourceQuery("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '" + f.slot + "'"),
                stream.position().commitLsn().toString(), "the slot confirms exactly the applied position");
        assertEquals(stream.position().commitLsn().toString(), f.destinationQuery(
                "SELECT commit_lsn::text FROM dms_internal.cdc_position WHERE job_id = 'types-job' AND database = 'types_db'"));
    }
}
