package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Which rows of a table one copy task takes: the whole table, a range of a single-column
 * integer primary key ({@code lo <= column < hi}), or a range of heap pages by ctid
 * ({@code (lo,0) <= ctid < (hi,0)}). A big table is split into ranges copied in parallel
 * under the same snapshot.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CopyRange(Kind kind, String column, Long lo, Long hi) {

    public enum Kind { WHOLE, PRIMARY_KEY, CTID }

    public static final CopyRange WHOLE = new CopyRange(Kind.WHOLE, null, null, null);

    public boolean isWhole() {
        return kind == Kind.WHOLE;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case WHOLE -> "whole table";
            case PRIMARY_KEY -> column + " in [" + lo + ", " + hi + ")";
            case CTID -> "pages [" + lo + ", " + hi + ")";
        };
    }
}
