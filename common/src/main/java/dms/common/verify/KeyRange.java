package dms.common.verify;

import java.util.List;

/**
 * A slice of a table in primary-key order: the rows whose key comes after {@code after}
 * (exclusive) and not after {@code upTo} (inclusive). A null bound is open. Key values travel
 * in their text form and the server parses them back to the column types, so any key type
 * works; bounds are always bind parameters, never SQL text.
 */
public record KeyRange(List<String> after, List<String> upTo) {

    public static final KeyRange ALL = new KeyRange(null, null);

    public KeyRange {
        after = after == null ? null : List.copyOf(after);
        upTo = upTo == null ? null : List.copyOf(upTo);
    }

    public boolean isAll() {
        return after == null && upTo == null;
    }

    @Override
    public String toString() {
        return isAll() ? "all rows" : "key in (" + (after == null ? "-inf" : String.join(", ", after)) + " .. "
                + (upTo == null ? "+inf" : String.join(", ", upTo)) + "]";
    }
}
