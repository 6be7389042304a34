package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One copy task of a full dump: a table or a range of it, numbered within its database.
 * The preparing worker plans them (ranges need the source) and reports them with
 * DUMP_STARTED; the orchestrator hands them out, the heaviest index work first, then the
 * biggest: a table's indexes are built beside the copies that follow it, so the table whose
 * builds take longest must not be the last one copied.
 *
 * @param estimatedBuildBytes what building the table's indexes and key constraints reads and
 *     writes on the source's figures: the table once per index plus the indexes themselves
 *     (0 without any); the same in every unit of a table. Absent (0) in plans of older workers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CopyUnit(int unitNo, String schema, String table, List<String> columns, CopyRange range,
                       long estimatedBytes, long estimatedRows, long estimatedBuildBytes) {

    public String qualifiedName() {
        return schema + "." + table;
    }
}
