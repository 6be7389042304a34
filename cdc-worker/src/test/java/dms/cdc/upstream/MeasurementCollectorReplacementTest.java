package dms.cdc.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.debezium.DebeziumException;
import io.debezium.metrics.event.LagBehindSourceEvent;
import io.debezium.metrics.stats.MeasurementCollector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replacement of Debezium's measurement collector is the one in use, and measures on the caller's thread. */
class MeasurementCollectorReplacementTest {

    @Test
    void givesEachEventToItsMeasurementAtOnceOnTheCallersThread() {
        MeasurementCollector<LagBehindSourceEvent> collector = new MeasurementCollector<>();
        List<Long> values = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        collector.addMeasurement(LagBehindSourceEvent.class, e -> {
            values.add(e.getValue());
            threads.add(Thread.currentThread());
        });
        collector.start();
        collector.accept(new LagBehindSourceEvent(5));
        collector.accept(new LagBehindSourceEvent(7));
        // The original queued them for a thread of its own: they were not there yet when accept returned.
        assertEquals(List.of(5L, 7L), values);
        assertSame(Thread.currentThread(), threads.get(0));
        collector.stop();
        assertThrows(DebeziumException.class, () -> collector.addMeasurement(LagBehindSourceEvent.class, e -> {}));
    }

    @Test
    void isOurCopyOfTheLibraryVersionInUse() {
        new UpstreamCopy(MeasurementCollector.class, "debezium-connector-common", "3.7.1.Final").assertReplaces();
    }
}
