package dms.orchestrator.dump;

/**
 * When small tables go to a dump-worker several in one copy task: each copy task costs a round trip (its report, the
 * orchestrator's transaction, the next task) and new connections, a few hundred milliseconds that dwarf the copy of a
 * table of a few rows; a database of thousands of such tables would take that many round trips per stream. A unit
 * (a table, or a range of one) of at most {@code smallUnitBytes} (estimated) is bundled with the next such units of its
 * database, at most {@code maxUnits} and {@code maxBytes} in all. {@code maxUnits} 1: every unit alone.
 */
public record CopyBundles(long smallUnitBytes, int maxUnits, long maxBytes) {

    /** Every unit in a task of its own. */
    public static final CopyBundles NONE = new CopyBundles(0, 1, 0);

    public CopyBundles {
        if (maxUnits < 1 || smallUnitBytes < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("dms.dump.bundle.*: a bundle holds at least one table (max-tables " + maxUnits
                    + "), and sizes are not negative (small-table-bytes " + smallUnitBytes + ", max-bytes " + maxBytes + ")");
        }
    }

    public boolean small(long estimatedBytes) {
        return maxUnits > 1 && estimatedBytes <= smallUnitBytes;
    }
}
