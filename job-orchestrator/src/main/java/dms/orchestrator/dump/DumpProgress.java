package dms.orchestrator.dump;

import dms.common.messages.DatabaseProgress;
import dms.orchestrator.store.JobDatabaseEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Sums a database's copy units into the counters the job document shows. */
public final class DumpProgress {

    private DumpProgress() {}

    public static DatabaseProgress of(DatabaseProgress base, JobDatabaseEntity db, long runEpoch) {
        List<CopyUnitEntity> units = CopyUnitEntity.list("jobId = ?1 and database = ?2 and runEpoch = ?3", db.jobId, db.name, runEpoch);
        if (units.isEmpty()) {
            // Not planned in this run yet: counts of an earlier run must not show (nor read as "all copied").
            return base.withDump(0, 0, 0, 0, 0, null, null, db.tablesWithoutIdentity);
        }
        long tables = units.stream().map(u -> u.schemaName + "." + u.tableName).distinct().count();
        long tablesNotDone = units.stream().filter(u -> u.state != CopyUnitEntity.State.COPIED)
                .map(u -> u.schemaName + "." + u.tableName).distinct().count();
        long rows = units.stream().mapToLong(u -> u.rowsCopied == null ? 0 : u.rowsCopied).sum();
        long bytes = units.stream().mapToLong(u -> u.bytesCopied == null ? 0 : u.bytesCopied).sum();
        long estimated = units.stream().mapToLong(u -> u.estimatedBytes).sum();
        long doneEstimate = units.stream().filter(u -> u.state == CopyUnitEntity.State.COPIED).mapToLong(u -> u.estimatedBytes).sum();
        Double percent = estimated == 0 ? (tablesNotDone == 0 ? 100.0 : 0.0)
                : Math.round(1000.0 * doneEstimate / estimated) / 10.0;
        Long eta = null;
        Instant first = units.stream().map(u -> u.updateTime).min(Instant::compareTo).orElse(null);
        if (doneEstimate > 0 && doneEstimate < estimated && first != null) {
            // The planner's estimate is on-disk size; the rate is in the same unit, so they cancel out.
            double seconds = Math.max(1, Duration.between(first, Instant.now()).toSeconds());
            eta = Math.round((estimated - doneEstimate) / (doneEstimate / seconds));
        } else if (tablesNotDone == 0) {
            eta = 0L;
        }
        return base.withDump(tables, tables - tablesNotDone, rows, bytes, estimated, percent, eta, db.tablesWithoutIdentity);
    }
}
