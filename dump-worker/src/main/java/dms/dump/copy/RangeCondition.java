package dms.dump.copy;

import dms.common.messages.CopyRange;
import dms.common.sql.SqlIdentifiers;
import java.util.ArrayList;
import java.util.List;

/**
 * The WHERE condition of a {@link CopyRange}, or null for the whole table. The bounds are longs
 * written as numbers, never text from outside; a null bound is open (the first and last ranges
 * of a plan are open-ended, so rows outside the planner's view of min/max or relpages are not lost).
 */
final class RangeCondition {

    private RangeCondition() {}

    static String sql(CopyRange range) {
        if (range == null || range.isWhole()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        switch (range.kind()) {
            case PRIMARY_KEY -> {
                String column = SqlIdentifiers.quote(range.column());
                if (range.lo() != null) {
                    parts.add(column + " >= " + range.lo());
                }
                if (range.hi() != null) {
                    parts.add(column + " < " + range.hi());
                }
            }
            // TID range scans (PostgreSQL 14+) read just these pages.
            case CTID -> {
                if (range.lo() != null && range.lo() > 0) {
                    parts.add("ctid >= '(" + range.lo() + ",0)'::tid");
                }
                if (range.hi() != null) {
                    parts.add("ctid < '(" + range.hi() + ",0)'::tid");
                }
            }
            default -> throw new IllegalArgumentException("unknown range kind: " + range.kind());
        }
        return parts.isEmpty() ? "true" : String.join(" AND ", parts);
    }
}
