package dms.dump.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

class TableGroupsTest {

    private record T(String name, long bytes) {}

    private static final ToLongFunction<T> BYTES = T::bytes;

    private static List<List<String>> names(List<List<T>> groups) {
        return groups.stream().map(g -> g.stream().map(T::name).toList()).toList();
    }

    @Test
    void oneGroupHoldsEveryTableInTheirOrder() {
        List<T> tables = List.of(new T("a", 1), new T("b", 50), new T("c", 7));
        assertEquals(List.of(List.of("b", "c", "a")), names(TableGroups.split(tables, 1, BYTES)), "biggest first, all in group 0");
    }

    @Test
    void theBiggestGoFirstOntoTheLightestGroup() {
        List<T> tables = List.of(new T("small", 10), new T("huge", 100), new T("mid1", 60), new T("mid2", 50), new T("tiny", 5));
        // huge -> 0 (100); mid1 -> 1 (60); mid2 -> 1 (110); small -> 0 (110); tiny -> 0 (ties go to the lower group: 115)
        assertEquals(List.of(List.of("huge", "small", "tiny"), List.of("mid1", "mid2")), names(TableGroups.split(tables, 2, BYTES)));
    }

    @Test
    void equalSizesAreDealtInTurn() {
        List<T> tables = List.of(new T("a", 8), new T("b", 8), new T("c", 8), new T("d", 8), new T("e", 8), new T("f", 8));
        assertEquals(List.of(List.of("a", "d"), List.of("b", "e"), List.of("c", "f")), names(TableGroups.split(tables, 3, BYTES)));
    }

    @Test
    void neverMoreGroupsThanTablesButAlwaysOne() {
        assertEquals(2, TableGroups.split(List.of(new T("a", 1), new T("b", 2)), 8, BYTES).size(), "an empty group would decode for nothing");
        assertEquals(List.of(List.of()), names(TableGroups.split(List.<T>of(), 4, BYTES)), "a database without tables keeps its one slot");
    }

    @Test
    void unknownSizesCountAsNothing() {
        List<T> tables = List.of(new T("a", -1), new T("b", -1), new T("c", 3));
        assertEquals(List.of(List.of("c"), List.of("a", "b")), names(TableGroups.split(tables, 2, BYTES)));
    }
}
