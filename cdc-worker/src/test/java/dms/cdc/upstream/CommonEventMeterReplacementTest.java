package dms.cdc.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.debezium.data.Envelope;
import io.debezium.pipeline.meters.CommonEventMeter;
import io.debezium.relational.TableId;
import io.debezium.util.Clock;
import org.junit.jupiter.api.Test;

/** The cheap replacement of Debezium's event meter is the one in use, and still counts. */
class CommonEventMeterReplacementTest {

    @Test
    void countsEventsWithoutRenderingThem() {
        // Debezium's own meter renders each event through the metadata provider: with none it would fail.
        CommonEventMeter meter = new CommonEventMeter(Clock.system(), null);
        TableId table = new TableId(null, "public", "events");
        meter.onEvent(table, null, "k1", null, Envelope.Operation.CREATE);
        meter.onEvent(table, null, "k1", null, Envelope.Operation.UPDATE);
        meter.onEvent(table, null, "k1", null, Envelope.Operation.DELETE);
        meter.onEvent(table, null, "k1", null, Envelope.Operation.READ);
        meter.onFilteredEvent();
        assertEquals(5, meter.getTotalNumberOfEventsSeen());
        assertEquals(1, meter.getTotalNumberOfCreateEventsSeen());
        assertEquals(1, meter.getTotalNumberOfUpdateEventsSeen());
        assertEquals(1, meter.getTotalNumberOfDeleteEventsSeen());
        assertEquals(1, meter.getTotalNumberOfReadEventsSeen());
        assertEquals(1, meter.getNumberOfEventsFiltered());
        assertTrue(meter.getLastEvent().contains("public.events"), meter.getLastEvent());
    }

    @Test
    void isOurCopyOfTheLibraryVersionInUse() {
        new UpstreamCopy(CommonEventMeter.class, "debezium-connector-common", "3.7.1.Final").assertReplaces();
    }
}
