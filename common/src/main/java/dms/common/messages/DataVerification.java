package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The job document's {@code verification}: the latest data check of the job (verify from CDC on),
 * filled in table by table as the dump-workers report. {@code finishedAt} is set once every
 * database has reported its end or was given up ({@code databasesNotChecked}: no worker answered its
 * task within its leases, or the job left the statuses a check runs in, or the check stopped early);
 * {@code notes} say per database how it was compared or why not. The document travels whole on
 * every change, so {@code tables} lists the first {@value #MAX_LISTED} results only
 * ({@code tablesNotListed} counts the rest; the counts cover every table, and each table that
 * differs also has its own job event).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataVerification(String id, Instant startedAt, Instant finishedAt, List<String> databasesPending,
                               int tablesEqual, int tablesDiffering, int tablesSkipped, List<TableCheck> tables,
                               int tablesNotListed, List<String> notes, List<String> databasesNotChecked) {

    public static final int MAX_LISTED = 1000;

    public DataVerification {
        databasesNotChecked = databasesNotChecked == null ? List.of() : databasesNotChecked; // documents written before it
    }

    public static DataVerification started(String id, Instant at, List<String> databases) {
        return new DataVerification(id, at, null, List.copyOf(databases), 0, 0, 0, List.of(), 0, List.of(), List.of());
    }

    public DataVerification withTable(TableCheck check) {
        List<TableCheck> all = new ArrayList<>(tables);
        boolean listed = all.size() < MAX_LISTED;
        if (listed) {
            all.add(check);
        }
        return new DataVerification(id, startedAt, finishedAt, databasesPending,
                tablesEqual + (check.result() == TableCheck.Result.EQUAL ? 1 : 0),
                tablesDiffering + (check.result() == TableCheck.Result.DIFFERS ? 1 : 0),
                tablesSkipped + (check.result() == TableCheck.Result.SKIPPED ? 1 : 0), all,
                tablesNotListed + (listed ? 0 : 1), notes, databasesNotChecked);
    }

    /** A database has reported its end; the verification finishes with the last one. */
    public DataVerification withDatabaseDone(String database, String note, Instant at) {
        return ended(database, note, at, false);
    }

    /** A database whose check did not cover every table (no worker answered, the job moved on, the check stopped). */
    public DataVerification withDatabaseNotChecked(String database, String note, Instant at) {
        return ended(database, note, at, true);
    }

    private DataVerification ended(String database, String note, Instant at, boolean notChecked) {
        List<String> pending = new ArrayList<>(databasesPending);
        pending.remove(database);
        List<String> allNotes = new ArrayList<>(notes);
        if (note != null) {
            allNotes.add(database + ": " + note);
        }
        List<String> unchecked = new ArrayList<>(databasesNotChecked);
        if (notChecked && !unchecked.contains(database)) {
            unchecked.add(database);
        }
        return new DataVerification(id, startedAt, pending.isEmpty() ? at : null, pending, tablesEqual, tablesDiffering,
                tablesSkipped, tables, tablesNotListed, allNotes, List.copyOf(unchecked));
    }

    public boolean finished() {
        return finishedAt != null;
    }
}
