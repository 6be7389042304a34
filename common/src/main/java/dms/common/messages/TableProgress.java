package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One table's full dump as the job document shows it: the state of its copy units taken
 * together (FAILED if one failed, else COPYING if one is running, else QUEUED until all are
 * COPIED), rows and bytes copied so far, the copy rate of its finished units, and the planner's
 * estimate of its size (on-disk bytes: a progress bar's scale, not an exact total).
 *
 * <p>While a unit of the table has a failed attempt behind it and is not copied yet: {@code
 * attempts} (the attempts made of that unit, the failed ones and any running now), {@code error}
 * (the last failure) and, while it waits out its backoff, {@code retryTime} (when the next
 * attempt is due). Absent otherwise.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TableProgress(String table, State state, long rows, long bytes, Double megabytesPerSecond, Long bytesEstimated,
                            Integer attempts, String error, Instant retryTime) {

    public enum State { QUEUED, COPYING, COPIED, FAILED }

    public TableProgress(String table, State state, long rows, long bytes, Double megabytesPerSecond, Long bytesEstimated) {
        this(table, state, rows, bytes, megabytesPerSecond, bytesEstimated, null, null, null);
    }
}
