package dms.orchestrator.store;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.DatabaseProgress;
import dms.common.messages.MigrationJob;
import dms.common.messages.TableProgress;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JobDocumentSizeTest {

    @Test
    void aSmallDocumentIsLeftAsItIs() {
        MigrationJob doc = job(3, 10);
        assertSame(doc, JobDocumentSize.fit(doc));
    }

    @Test
    void aJobOfManyDatabasesListsFewerTablesPerDatabaseButKeepsItsCounters() {
        MigrationJob doc = job(1000, DatabaseProgress.MAX_TABLES_LISTED); // about 15 MB as built
        assertTrue(JobDocumentSize.bytes(doc) > 10 * JobDocumentSize.MAX_BYTES);
        MigrationJob fitted = JobDocumentSize.fit(doc);
        assertTrue(JobDocumentSize.bytes(fitted) <= JobDocumentSize.MAX_BYTES, "bytes: " + JobDocumentSize.bytes(fitted));
        assertEquals(1000, fitted.databaseProgress().size());
        DatabaseProgress first = fitted.databaseProgress().get(0);
        assertEquals(500L, first.tablesTotal());
        assertTrue(first.tables() == null || first.tables().size() < DatabaseProgress.MAX_TABLES_LISTED);
        assertEquals(doc.version(), fitted.version());
    }

    @Test
    void theTablesNotCopiedYetAreTheOnesKept() {
        MigrationJob doc = job(20, DatabaseProgress.MAX_TABLES_LISTED);
        MigrationJob fitted = JobDocumentSize.fit(doc, JobDocumentSize.bytes(doc) / 3);
        List<TableProgress> tables = fitted.databaseProgress().get(0).tables();
        assertEquals(20, tables.size());
        assertEquals(doc.databaseProgress().get(0).tables().subList(0, 20), tables);
    }

    private static MigrationJob job(int databases, int tables) {
        List<DatabaseProgress> progress = new ArrayList<>();
        for (int d = 0; d < databases; d++) {
            List<TableProgress> list = IntStream.range(0, tables).mapToObj(t -> new TableProgress("public.table_number_" + t,
                    t < 10 ? TableProgress.State.COPYING : TableProgress.State.COPIED, 1000L * t, 100_000L * t, 12.5, 200_000L,
                    null, null, null)).toList();
            progress.add(DatabaseProgress.initial("database_" + d).withDump(500, 400, 1_000_000, 2_000_000_000L, 3_000_000_000L,
                    66.7, 120L, List.of(), list));
        }
        return new MigrationJob("big", "big", JobState.RUNNING, JobPhase.FULL_DUMP, "src", "dst", List.of(), null, progress,
                List.of(), null, 1, 42, Instant.EPOCH, Instant.EPOCH, null, null);
    }
}
