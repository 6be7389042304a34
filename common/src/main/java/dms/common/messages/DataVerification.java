package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The job document's {@code verification}: the latest data check of the job (verify from CDC on),
 * filled in table by table as the dump-workers report. {@code finishedAt} is set once every
 * database has reported its end; {@code notes} say per database how it was compared. The
 * document travels whole on every change, so {@code tables} lists the first {@value #MAX_LISTED}
 * results only ({@code tablesNotListed} counts the rest; the counts cover every table, and each
 * table that differs also has its own job event).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataVerification(String id, Instant startedAt, Instant finishedAt, List<String> databasesPending,
                               int tablesEqual, int tablesDiffering, int tablesSkipped, List<TableCheck> tables,
                               int tablesNotListed, List<String> notes) {

    public static final int MAX_LISTED = 1000;

    public static DataVerification started(String id, Instant at, List<String> databases) {
        return new DataVerification(id, at, null, List.copyOf(databases), 0, 0, 0, List.of(), 0, List.of());
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
                tablesNotListed + (listed ? 0 : 1), notes);
    }

    /** A database has reported its end; the verification finishes with the last one. */
    public DataVerification withDatabaseDone(String database, String note, Instant at) {
        List<String> pending = new ArrayList<>(databasesPending);
        pending.remove(database);
        List<String> allNotes = new ArrayList<>(notes);
        if (note != null) {
            allNotes.add(database + ": " + note);
        }
        return new DataVerification(id, startedAt, pending.isEmpty() ? at : null, pending, tablesEqual, tablesDiffering,
                tablesSkipped, tables, tablesNotListed, allNotes);
    }

    public boolean finished() {
        return finishedAt != null;
    }
}
