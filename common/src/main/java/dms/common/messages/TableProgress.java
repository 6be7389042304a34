package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One table's full dump as the job document shows it: the state of its copy units taken
 * together (FAILED if one failed, else COPYING if one is running, else QUEUED until all are
 * COPIED), rows and bytes copied so far, and the copy rate of its finished units.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TableProgress(String table, State state, long rows, long bytes, Double megabytesPerSecond) {

    public enum State { QUEUED, COPYING, COPIED, FAILED }
}
