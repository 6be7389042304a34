package dms.orchestrator.dump;

import dms.common.messages.DatabaseProgress;
import dms.common.messages.TableProgress;
import dms.orchestrator.store.JobDatabaseEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sums a database's copy units into the counters the job document shows. */
public final class DumpProgress {

    private DumpProgress() {}

    public static DatabaseProgress of(DatabaseProgress base, JobDatabaseEntity db, long runEpoch) {
        List<CopyUnitEntity> units = CopyUnitEntity.list("jobId = ?1 and database = ?2 and runEpoch = ?3", db.jobId, db.name, runEpoch);
        if (units.isEmpty()) {
            // Not planned in this run yet: counts of an earlier run must not show (nor read as "all copied").
            return base.withDump(0, 0, 0, 0, 0, null, null, db.tablesWithoutIdentity, null);
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
        return base.withDump(tables, tables - tablesNotDone, rows, bytes, estimated, percent, eta, db.tablesWithoutIdentity,
                perTable(units));
    }

    /** Each table's units taken together; the tables not copied yet first (failed, copying, queued), then the others. */
    static List<TableProgress> perTable(List<CopyUnitEntity> units) {
        Map<String, List<CopyUnitEntity>> byTable = new LinkedHashMap<>();
        for (CopyUnitEntity u : units) {
            byTable.computeIfAbsent(u.schemaName + "." + u.tableName, k -> new ArrayList<>()).add(u);
        }
        List<TableProgress> out = new ArrayList<>();
        byTable.forEach((table, parts) -> {
            TableProgress.State state = parts.stream().anyMatch(u -> u.state == CopyUnitEntity.State.FAILED) ? TableProgress.State.FAILED
                    : parts.stream().anyMatch(u -> u.state == CopyUnitEntity.State.COPYING) ? TableProgress.State.COPYING
                    : parts.stream().allMatch(u -> u.state == CopyUnitEntity.State.COPIED) ? TableProgress.State.COPIED
                    : TableProgress.State.QUEUED;
            long rows = parts.stream().mapToLong(u -> u.rowsCopied == null ? 0 : u.rowsCopied).sum();
            long bytes = parts.stream().mapToLong(u -> u.bytesCopied == null ? 0 : u.bytesCopied).sum();
            long millis = parts.stream().mapToLong(u -> u.millis == null ? 0 : u.millis).sum();
            Double rate = millis > 0 ? Math.round(bytes / 1000.0 / millis * 10) / 10.0 : null;
            long estimated = parts.stream().mapToLong(u -> u.estimatedBytes).sum();
            // A unit not copied whose attempt failed: the one that failed for good, else the one retried most.
            CopyUnitEntity troubled = parts.stream().filter(u -> u.state != CopyUnitEntity.State.COPIED && u.error != null)
                    .max(Comparator.comparing((CopyUnitEntity u) -> u.state == CopyUnitEntity.State.FAILED)
                            .thenComparingInt(u -> u.attempts))
                    .orElse(null);
            Instant retryTime = parts.stream().filter(u -> u.state == CopyUnitEntity.State.QUEUED && u.notBefore != null)
                    .map(u -> u.notBefore).min(Instant::compareTo).orElse(null);
            out.add(new TableProgress(table, state, rows, bytes, rate, estimated, troubled == null ? null : troubled.attempts,
                    troubled == null ? null : troubled.error, retryTime));
        });
        out.sort(Comparator.comparingInt((TableProgress t) -> switch (t.state()) {
            case FAILED -> 0;
            case COPYING -> 1;
            case QUEUED -> 2;
            case COPIED -> 3;
        }));
        return out.size() > DatabaseProgress.MAX_TABLES_LISTED ? List.copyOf(out.subList(0, DatabaseProgress.MAX_TABLES_LISTED)) : out;
    }
}
