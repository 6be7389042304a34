package dms.dump.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StreamSplitTest {

    private static final long MB = 1 << 20;
    private static final long NO_MAX = Long.MAX_VALUE / 2;

    @Test
    void tablesStayWholeWhenTheStreamsEndCloseTogether() {
        // The bench's database on two streams: wide 400 MB on one, accounts 260 MB and the rest on the other.
        long[] sizes = {400 * MB, 260 * MB, 10 * MB, 1 * MB};
        assertArrayEquals(new int[] {1, 1, 1, 1}, StreamSplit.parts(sizes, 2, 64 * MB, NO_MAX, i -> true));
    }

    @Test
    void aTableThatWouldLeaveTheOtherStreamsIdleIsSplit() {
        long[] sizes = {1000 * MB, 50 * MB, 10 * MB};
        int[] parts = StreamSplit.parts(sizes, 2, 64 * MB, NO_MAX, i -> true);
        assertEquals(2, parts[0], "the big one in two, one per stream");
        assertEquals(1, parts[1]);
        assertEquals(1, parts[2]);
        assertEquals(4, StreamSplit.parts(sizes, 4, 64 * MB, NO_MAX, i -> true)[0], "in four with four streams");
    }

    @Test
    void oneStreamNeverSplitsAndSmallOrUnsplittableTablesStayWhole() {
        long[] sizes = {1000 * MB, 50 * MB};
        assertArrayEquals(new int[] {1, 1}, StreamSplit.parts(sizes, 1, 64 * MB, NO_MAX, i -> true));
        assertArrayEquals(new int[] {1, 1}, StreamSplit.parts(sizes, 2, 64 * MB, NO_MAX, i -> false), "no way to split");
        assertArrayEquals(new int[] {1}, StreamSplit.parts(new long[] {100 * MB}, 2, 64 * MB, NO_MAX, i -> true),
                "halves below the smallest range");
    }

    @Test
    void aTableAboveTheLargestRangeIsSplitWhateverTheStreams() {
        assertArrayEquals(new int[] {5, 1}, StreamSplit.parts(new long[] {10 * MB, 1 * MB}, 1, 1, 2 * MB, i -> true));
    }

    @Test
    void longestStreamPutsBiggestUnitsFirstOnTheLeastLoaded() {
        assertEquals(400, StreamSplit.longestStream(new long[] {400, 260, 10, 1}, new int[] {1, 1, 1, 1}, 2));
        assertEquals(300, StreamSplit.longestStream(new long[] {600}, new int[] {2}, 2));
    }
}
