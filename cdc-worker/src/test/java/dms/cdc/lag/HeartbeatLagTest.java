package dms.cdc.lag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dms.common.sql.Lsn;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The lag of a stream taken up by a worker is the age of the destination's last commit until it gets past where the source was. */
class HeartbeatLagTest {

    private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void growsWhileNothingIsAppliedThenReadsTheHeartbeats() {
        // The destination last applied a commit made at T; the source is at 0/500 when this worker first looks, 60 s later.
        HeartbeatLag lag = new HeartbeatLag(new Lsn(0x500), T);
        Lsn stuck = new Lsn(0x100);
        assertEquals(60.0, lag.lagSeconds(stuck, T.plusSeconds(60)));
        assertEquals(420.0, lag.lagSeconds(stuck, T.plusSeconds(420)), "a stream killed in a loop: growing, never fresh");
        assertEquals(0.0, lag.lagSeconds(new Lsn(0x500), T.plusSeconds(421)), "past it, with no heartbeat pending: caught up");
    }
}
