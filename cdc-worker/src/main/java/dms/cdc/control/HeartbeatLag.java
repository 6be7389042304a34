package dms.cdc.control;

import dms.cdc.CdcStream;
import dms.common.sql.Lsn;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Lag in seconds of one stream, from heartbeats: each tick writes a marker into the source's WAL
 * ({@link CdcStream#heartbeat()}) and remembers when. A marker the stream has not applied yet
 * means the destination misses what the source had at that moment; the oldest one not applied
 * gives the lag, within one tick. None pending: caught up (0), also when the database is idle.
 */
final class HeartbeatLag {

    private record Beat(Lsn lsn, Instant at) {}

    private final CdcStream stream;
    private final Deque<Beat> pending = new ArrayDeque<>();

    HeartbeatLag(CdcStream stream) {
        this.stream = stream;
    }

    CdcStream stream() {
        return stream;
    }

    void beat() throws SQLException {
        pending.addLast(new Beat(stream.heartbeat(), Instant.now()));
    }

    /** Seconds the stream is behind, given what it has applied. */
    double lagSeconds(Lsn applied, Instant now) {
        while (!pending.isEmpty() && applied != null && !pending.peekFirst().lsn().isAfter(applied)) {
            pending.removeFirst();
        }
        return pending.isEmpty() ? 0 : Duration.between(pending.peekFirst().at(), now).toMillis() / 1000.0;
    }
}
