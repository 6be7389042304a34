package dms.cdc.lag;

import dms.common.pg.WalMarker;
import dms.common.sql.Lsn;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Lag in seconds of one job database's stream, from heartbeats: each tick writes a marker into
 * the source's WAL ({@link WalMarker}: the stream applies it as an empty transaction, so the
 * applied position and the slot move on even when no table of the job changes) and remembers
 * when. A marker the stream has not applied yet means the destination misses what the source had
 * at that moment; the oldest one not applied gives the lag, within one tick. None pending: caught
 * up (0), also when the database is idle.
 *
 * <p>A worker that takes up a stream knows no marker written before: it starts with one at the
 * source's position when it first looks, dated when the destination last applied a source commit.
 * Until the stream gets past that position the lag is the age of the destination's last commit,
 * which grows while nothing is applied (a stream failing again and again, a worker killed in a
 * loop) where it would otherwise read 0.
 */
final class HeartbeatLag {

    private record Beat(Lsn lsn, Instant at) {}

    private final Deque<Beat> pending = new ArrayDeque<>();

    /**
     * @param sourceNow the source's WAL position now
     * @param appliedUpTo when the last source commit the destination has applied was made (or now, if unknown)
     */
    HeartbeatLag(Lsn sourceNow, Instant appliedUpTo) {
        pending.add(new Beat(sourceNow, appliedUpTo));
    }

    /** Writes a heartbeat into the source's WAL for the stream of {@code slotName}. */
    void beat(Connection source, String slotName) throws SQLException {
        pending.addLast(new Beat(WalMarker.emit(source, slotName, slotName + ":heartbeat"), Instant.now()));
    }

    /** Seconds the stream is behind, given what it has applied. */
    double lagSeconds(Lsn applied, Instant now) {
        while (!pending.isEmpty() && applied != null && !pending.peekFirst().lsn().isAfter(applied)) {
            pending.removeFirst();
        }
        return pending.isEmpty() ? 0 : Duration.between(pending.peekFirst().at(), now).toMillis() / 1000.0;
    }
}
