package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One table's full dump as the job document shows it: the state of its copy units taken
 * together (FAILED if one failed, else COPYING if one is running, else QUEUED until all are
 * COPIED), rows and bytes copied so far, the copy rate of its finished units, and the planner's
 * estimate of its size (on-disk bytes: a progress bar's scale, not an exact total).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TableProgress(String table, State state, long rows, long bytes, Double megabytesPerSecond, Long bytesEstimated) {

    public enum State { QUEUED, COPYING, COPIED, FAILED }
}
