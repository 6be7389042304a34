package dms.dump.snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;

/**
 * How a database's published tables are split into the job's replication groups (cdcParallelism, docs/cdc.md): by
 * their estimated bytes, the biggest first, each onto the group that holds the fewest bytes so far (ties: the lower
 * group), so that the groups' streams share the work as evenly as the sizes allow. Sizes stand in for the change rate,
 * which the prepare cannot know. Never more groups than tables (an empty group would be a slot decoding the whole WAL
 * for nothing), and at least one (which may be empty: a database without tables still has its slot).
 */
public final class TableGroups {

    private TableGroups() {}

    /** {@code tables} split into at most {@code wanted} groups; group 0 holds the biggest table. */
    public static <T> List<List<T>> split(List<T> tables, int wanted, ToLongFunction<T> bytes) {
        int n = Math.max(1, Math.min(wanted, tables.size()));
        List<List<T>> groups = new ArrayList<>();
        long[] load = new long[n];
        for (int k = 0; k < n; k++) {
            groups.add(new ArrayList<>());
        }
        List<Integer> order = IntStream.range(0, tables.size()).boxed()
                .sorted(Comparator.comparingLong((Integer i) -> bytes.applyAsLong(tables.get(i))).reversed().thenComparing(i -> i))
                .toList();
        for (int i : order) {
            int lightest = 0;
            for (int k = 1; k < n; k++) {
                if (load[k] < load[lightest]) {
                    lightest = k;
                }
            }
            groups.get(lightest).add(tables.get(i));
            load[lightest] += Math.max(0, bytes.applyAsLong(tables.get(i)));
        }
        return groups;
    }
}
