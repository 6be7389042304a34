package dms.dump.copy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.IntPredicate;

/**
 * How many parts each table of a database is copied in, for {@code streams} copies in flight. A
 * table is copied whole unless that would leave streams idle at the end: whole-table units are
 * the cheapest (one read of the table, {@code COPY FREEZE}, the table's indexes built right after
 * its copy), so a table is split only while the plan's longest stream, with the biggest units
 * first onto the least loaded stream (as the orchestrator hands them out), is more than
 * {@link #IDLE_TOLERANCE} times the average; the table of its biggest unit is then cut into
 * parts of at least {@code minPartBytes}. Tables above {@code maxPartBytes} are cut regardless.
 */
public final class StreamSplit {

    /** The longest stream may be this much above the average before splitting pays for what whole tables save. */
    static final double IDLE_TOLERANCE = 1.25;

    private StreamSplit() {}

    /**
     * @param sizes each table's size in bytes
     * @param maxPartBytes a table bigger than this is cut into parts of at most this whatever the
     *     streams (a unit's retry, its progress report, cost at most this much)
     * @param canSplit whether table i can be split at all (a source before 14 needs an integer key)
     * @return the number of parts of each table (1: whole)
     */
    public static int[] parts(long[] sizes, int streams, long minPartBytes, long maxPartBytes, IntPredicate canSplit) {
        int[] parts = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            long wanted = canSplit.test(i) ? (sizes[i] + maxPartBytes - 1) / Math.max(1, maxPartBytes) : 1;
            parts[i] = (int) Math.max(1, Math.min(RangePlanner.MAX_RANGES, wanted));
        }
        if (streams <= 1 || sizes.length == 0) {
            return parts;
        }
        long total = 0;
        for (long s : sizes) {
            total += s;
        }
        double average = (double) total / streams;
        boolean[] settled = new boolean[sizes.length];
        while (longestStream(sizes, parts, streams) > IDLE_TOLERANCE * average) {
            int biggest = -1;
            for (int i = 0; i < sizes.length; i++) {
                if (!settled[i] && (biggest < 0 || sizes[i] / parts[i] > sizes[biggest] / parts[biggest])) {
                    biggest = i;
                }
            }
            if (biggest < 0) {
                break;
            }
            int more = (int) Math.min(Math.max(1, sizes[biggest] / Math.max(1, minPartBytes)), (long) parts[biggest] + streams - 1);
            if (!canSplit.test(biggest) || more <= parts[biggest]) {
                settled[biggest] = true; // too small to cut further, or no way to
                continue;
            }
            parts[biggest] = Math.min(more, RangePlanner.MAX_RANGES);
        }
        return parts;
    }

    /** The load of the busiest stream when units go biggest first onto the least loaded stream. */
    static long longestStream(long[] sizes, int[] parts, int streams) {
        List<Long> units = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            for (int p = 0; p < parts[i]; p++) {
                units.add(sizes[i] / parts[i]);
            }
        }
        units.sort(Comparator.reverseOrder());
        PriorityQueue<Long> loads = new PriorityQueue<>();
        for (int s = 0; s < streams; s++) {
            loads.add(0L);
        }
        long longest = 0;
        for (long unit : units) {
            long load = loads.poll() + unit;
            longest = Math.max(longest, load);
            loads.add(load);
        }
        return longest;
    }
}
