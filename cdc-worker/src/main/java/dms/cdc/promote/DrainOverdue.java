package dms.cdc.promote;

import dms.common.sql.Lsn;
import java.time.Duration;

/**
 * A promote's drain that did not finish by its deadline ({@code dms.promote.drain-timeout}), with
 * what the worker saw, so that the job's error says where it stuck: the marker written but not
 * applied yet (a backlog, a long apply, a lock on the destination, the stream not delivering it),
 * or the stream not even running.
 */
public final class DrainOverdue extends RuntimeException {

    private DrainOverdue(String message) {
        super(message);
    }

    /** The marker was written at {@code marker}; the stream has applied up to {@code applied} since. */
    public static DrainOverdue markerLate(Lsn marker, Lsn target, Lsn applied, Duration timeout) {
        boolean none = applied == null || applied.equals(Lsn.ZERO);
        String progress = none ? "the stream has applied no transaction yet"
                : "the stream applied up to LSN " + applied + (marker != null && marker.isAfter(applied)
                        ? ", " + bytes(marker.value() - applied.value()) + " of WAL before the marker" : "");
        return new DrainOverdue("the drain marker written at LSN " + (marker == null ? "?" : marker) + " did not arrive within "
                + timeout.toSeconds() + " s: " + progress + " (the source was at " + target + " when the drain began)."
                + " Is the stream running and applying (its lag, a long transaction, a lock on the destination)?");
    }

    /** The stream never got to write the marker: it could not start (or start again) in time. */
    public static DrainOverdue notStreaming(Duration timeout, Throwable lastFailure) {
        return new DrainOverdue("the stream did not run within " + timeout.toSeconds() + " s, so no drain marker was applied"
                + (lastFailure == null ? "" : ": " + (lastFailure.getMessage() == null ? lastFailure.toString() : lastFailure.getMessage())));
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        if (n < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(java.util.Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
}
