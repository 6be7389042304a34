package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One copy task of a full dump: a table or a range of it, numbered within its database.
 * The preparing worker plans them (ranges need the source) and reports them with
 * DUMP_STARTED; the orchestrator hands them out, biggest first.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CopyUnit(int unitNo, String schema, String table, List<String> columns, CopyRange range,
                       long estimatedBytes, long estimatedRows) {

    public String qualifiedName() {
        return schema + "." + table;
    }
}
