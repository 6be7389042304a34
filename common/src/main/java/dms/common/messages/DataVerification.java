package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The job document's {@code verification}: the latest data check of the job (verify from CDC on),
 * filled in table by table as the dump-workers report. {@code finishedAt} is set once every
 * database has reported its end; {@code notes} say per database how it was compared.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataVerification(String id, Instant startedAt, Instant finishedAt, List<String> databasesPending,
                               int tablesEqual, int tablesDiffering, int tablesSkipped, List<TableCheck> tables,
                               List<String> notes) {

    public static DataVerification started(String id, Instant at, List<String> databases) {
        return new DataVerification(id, at, null, List.copyOf(databases), 0, 0, 0, List.of(), List.of());
    }

    public DataVerification withTable(TableCheck check) {
        List<TableCheck> all = new ArrayList<>(tables);
        all.add(check);
        return new DataVerification(id, startedAt, finishedAt, databasesPending,
                tablesEqual + (check.result() == TableCheck.Result.EQUAL ? 1 : 0),
                tablesDiffering + (check.result() == TableCheck.Result.DIFFERS ? 1 : 0),
                tablesSkipped + (check.result() == TableCheck.Result.SKIPPED ? 1 : 0), all, notes);
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
                tablesSkipped, tables, allNotes);
    }

    public boolean finished() {
        return finishedAt != null;
    }
}
