package dms.cli.watch;

import static dms.cli.JsonText.json;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobFrameTest {
    static final String DUMPING = """
            {'id': 'orders', 'state': 'RUNNING', 'phase': 'FULL_DUMP', 'runEpoch': 1, 'version': 7,
             'databaseProgress': [{'database': 'shop', 'phase': 'FULL_DUMP', 'tablesTotal': 3, 'tablesCopied': 1,
               'rowsCopied': 1234567, 'bytesCopied': 45100000, 'percentCopied': 42.0, 'etaSeconds': 75,
               'tables': [
                 {'table': 'public.order_lines', 'state': 'COPYING', 'rows': 1000, 'bytes': 5000000, 'bytesEstimated': 20000000},
                 {'table': 'public.products', 'state': 'QUEUED', 'rows': 0, 'bytes': 0, 'bytesEstimated': 100},
                 {'table': 'public.customers', 'state': 'COPIED', 'rows': 20000, 'bytes': 1200000, 'megabytesPerSecond': 35.1, 'bytesEstimated': 900000}]}]}
            """;

    @Test
    void dumpShowsADatabaseBarAndOneBarPerTable() throws Exception {
        List<String> frame = JobFrame.render(json(DUMPING), 200, 10);
        assertEquals("orders  RUNNING/FULL_DUMP", frame.get(0));
        assertEquals("  shop  FULL_DUMP  [############------------------]  42.0%  tables 1/3  rows 1,234,567  45.1 MB  eta 1m 15s",
                frame.get(1));
        assertEquals("    public.order_lines  [#####---------------]  25%  COPYING  1,000 rows  5.0 MB", frame.get(2));
        assertEquals("    public.products     [--------------------]   0%  QUEUED   0 rows  0 B", frame.get(3));
        assertEquals("    public.customers    [####################] 100%  COPIED   20,000 rows  1.2 MB  35.1 MB/s", frame.get(4));
        assertEquals(5, frame.size());
    }

    @Test
    void aCopyingTableLargerThanItsEstimateStaysBelowFull() throws Exception {
        JsonNode table = json("{'table': 't', 'state': 'COPYING', 'rows': 5, 'bytes': 500, 'bytesEstimated': 100}");
        assertEquals(0.99, DatabaseLines.tableFraction(table));
        assertEquals(0, DatabaseLines.tableFraction(json("{'table': 't', 'state': 'QUEUED', 'rows': 0, 'bytes': 0}")));
    }

    @Test
    void tablesBeyondTheLimitAreCounted() throws Exception {
        List<String> frame = JobFrame.render(json(DUMPING), 200, 1);
        assertEquals("    ... 2 more tables", frame.get(3));
        assertEquals(4, frame.size());
    }

    @Test
    void cdcShowsTheLag() throws Exception {
        JsonNode job = json("""
                {'id': 'orders', 'state': 'RUNNING', 'phase': 'CDC', 'databaseProgress': [
                  {'database': 'shop', 'phase': 'CDC', 'lagBytes': 1200, 'lagSeconds': 0.42, 'retainedWalBytes': 3400000,
                   'tablesTotal': 3, 'tables': [{'table': 'public.x', 'state': 'COPIED', 'rows': 1, 'bytes': 1}]}]}
                """);
        assertEquals(List.of("orders  RUNNING/CDC", "  shop  CDC  lag 1.2 kB, 0.4 s  slot retains 3.4 MB"),
                JobFrame.render(job, 200, 10));
    }

    @Test
    void aStreamThatHasNotReportedSaysSo() throws Exception {
        JsonNode job = json("{'id': 'j', 'state': 'RUNNING', 'phase': 'CDC', 'databaseProgress': [{'database': 'd', 'phase': 'CDC', 'retainedWalBytes': 245600}]}");
        assertEquals("  d  CDC  lag unknown  slot retains 245.6 kB", JobFrame.render(job, 200, 10).get(1));
    }

    @Test
    void aStreamThatKeepsEndingAndASlotOverTheLevelSaySo() throws Exception {
        JsonNode job = json("{'id': 'j', 'state': 'RUNNING', 'phase': 'CDC', 'databaseProgress': [{'database': 'd', 'phase': 'CDC',"
                + " 'retainedWalBytes': 245600, 'retainedWalWarning': true, 'cdcRetries': 3, 'lastError': 'worker died'}]}");
        assertEquals("  d  CDC  lag unknown  slot retains 245.6 kB (over the warning level)  ended 3x since it last applied: worker died",
                JobFrame.render(job, 200, 10).get(1));
    }

    @Test
    void linesAreCutToTheWidthSoThatNoneWraps() throws Exception {
        for (String line : JobFrame.render(json(DUMPING), 40, 10)) {
            assertTrue(line.length() <= 40, line);
        }
        assertTrue(JobFrame.render(json(DUMPING), 40, 10).get(1).endsWith("~"));
    }

    @Test
    void errorsAreShown() throws Exception {
        JsonNode job = json("""
                {'id': 'j', 'state': 'FAILED', 'phase': 'FULL_DUMP', 'error': {'code': 'INTERNAL', 'message': 'pg_dump 14 < source 16'},
                 'databaseProgress': [{'database': 'a', 'phase': 'FULL_DUMP', 'error': 'copy failed'}]}
                """);
        assertEquals(List.of("j  FAILED/FULL_DUMP", "  error INTERNAL: pg_dump 14 < source 16", "  a  FULL_DUMP",
                "    error: copy failed"), JobFrame.render(job, 200, 10));
    }

    @Test
    void theScreenMovesBackOverThePreviousFrame() {
        var text = new java.io.StringWriter();
        Screen screen = new Screen(new java.io.PrintWriter(text));
        screen.draw(List.of("a", "b"));
        screen.draw(List.of("c"));
        assertEquals("a\nb\n\u001b[2F\u001b[Jc\n", text.toString());
    }
}
