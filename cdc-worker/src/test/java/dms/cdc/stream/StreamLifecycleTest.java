package dms.cdc.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.cdc.stream.StreamLifecycle.State;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class StreamLifecycleTest {

    private static final CdcStreamException BOOM = new CdcStreamException("apply failed", null);
    private static final CdcStreamException SOURCE = new CdcStreamException("the source stream failed", null);

    @Test
    void theWholeTableOfMoves() {
        for (State from : State.values()) {
            EnumSet<State> expected = switch (from) {
                case STREAMING -> EnumSet.of(State.DRAINING, State.STOPPING, State.FAILING, State.STOPPED, State.FAILED);
                case DRAINING -> EnumSet.of(State.STREAMING, State.STOPPING, State.FAILING, State.STOPPED, State.FAILED);
                case STOPPING -> EnumSet.of(State.STOPPED);
                case FAILING -> EnumSet.of(State.FAILED);
                case STOPPED, FAILED -> EnumSet.noneOf(State.class);
            };
            for (State to : State.values()) {
                assertEquals(expected.contains(to), StreamLifecycle.allowed(from, to), from + " -> " + to);
            }
        }
    }

    @Test
    void aDrainThatEndsStopsTheStream() {
        StreamLifecycle life = new StreamLifecycle();
        assertEquals(State.STREAMING, life.state());
        assertFalse(life.halted());
        assertTrue(life.moveTo(State.DRAINING));
        assertFalse(life.halted(), "a drain applies up to its marker");
        assertTrue(life.moveTo(State.STOPPING));
        assertTrue(life.halted());
        assertFalse(life.ended());
        assertNull(life.engineEnded(true, null));
        assertEquals(State.STOPPED, life.state());
        assertTrue(life.ended());
        assertFalse(life.moveTo(State.STREAMING), "an ended stream does not start again");
    }

    @Test
    void aDrainGivenUpStreamsOn() {
        StreamLifecycle life = new StreamLifecycle();
        life.moveTo(State.DRAINING);
        assertTrue(life.moveTo(State.STREAMING));
        assertFalse(life.halted());
    }

    @Test
    void aFailureEndsFailedWithItsReasonOnceTheEngineHasEnded() {
        StreamLifecycle life = new StreamLifecycle();
        assertTrue(life.fail(BOOM));
        assertEquals(State.FAILING, life.state());
        assertTrue(life.halted());
        assertFalse(life.fail(SOURCE), "the first reason stands");
        assertSame(BOOM, life.engineEnded(true, null));
        assertEquals(State.FAILED, life.state());
        assertSame(BOOM, life.failure());
    }

    @Test
    void aFailureWhileStoppingDoesNotTurnTheStopIntoAFailure() {
        StreamLifecycle life = new StreamLifecycle();
        life.moveTo(State.STOPPING);
        assertFalse(life.fail(BOOM));
        assertNull(life.engineEnded(false, SOURCE), "the engine's error while it is closed is not the stream's failure");
        assertEquals(State.STOPPED, life.state());
        assertNull(life.failure());
    }

    @Test
    void anEngineThatEndsOnItsOwnEndsTheStream() {
        StreamLifecycle failing = new StreamLifecycle();
        assertSame(SOURCE, failing.engineEnded(false, SOURCE));
        assertEquals(State.FAILED, failing.state());

        StreamLifecycle draining = new StreamLifecycle();
        draining.moveTo(State.DRAINING);
        assertNull(draining.engineEnded(true, null));
        assertEquals(State.STOPPED, draining.state());
    }
}
