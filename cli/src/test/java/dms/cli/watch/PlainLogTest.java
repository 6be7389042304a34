package dms.cli.watch;

import static dms.cli.JsonText.json;
import static org.junit.jupiter.api.Assertions.*;

import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainLogTest {
    static final LocalTime T = LocalTime.of(12, 0, 1);

    @Test
    void printsOnlyWhatChanged() throws Exception {
        PlainLog log = new PlainLog();
        assertEquals(List.of("12:00:01 orders NOT_STARTED"), log.next(json("{'id': 'orders', 'state': 'NOT_STARTED'}"), T));
        assertEquals(List.of(), log.next(json("{'id': 'orders', 'state': 'NOT_STARTED'}"), T));

        List<String> dump = log.next(json(JobFrameTest.DUMPING), T);
        assertEquals(List.of(
                "12:00:01 orders RUNNING/FULL_DUMP",
                "12:00:01 orders shop table public.customers COPIED  20,000 rows  1.2 MB  35.1 MB/s",
                "12:00:01 orders shop FULL_DUMP  42.0%  tables 1/3  rows 1,234,567  45.1 MB  eta 1m 15s"), dump);
        // the same document again: nothing new, and the copied table is not reported twice
        assertEquals(List.of(), log.next(json(JobFrameTest.DUMPING), T));
        for (String line : dump) {
            assertFalse(line.contains("\u001b"), "no terminal escapes: " + line);
        }
    }

    @Test
    void cdcLagAndTheEnd() throws Exception {
        PlainLog log = new PlainLog();
        log.next(json("{'id': 'j', 'state': 'RUNNING', 'phase': 'CDC', 'databaseProgress': [{'database': 'd', 'phase': 'CDC', 'lagBytes': 0, 'lagSeconds': 0.0}]}"), T);
        assertEquals(List.of("12:00:01 j d CDC  lag 2.0 kB, 1.5 s"),
                log.next(json("{'id': 'j', 'state': 'RUNNING', 'phase': 'CDC', 'databaseProgress': [{'database': 'd', 'phase': 'CDC', 'lagBytes': 2000, 'lagSeconds': 1.5}]}"), T));
        assertEquals(List.of("12:00:01 j COMPLETED", "12:00:01 j d COMPLETED"),
                log.next(json("{'id': 'j', 'state': 'COMPLETED', 'databaseProgress': [{'database': 'd', 'phase': 'COMPLETED'}]}"), T));
    }
}
