package dms.api.paging;

import static org.junit.jupiter.api.Assertions.*;

import dms.api.problems.ProblemException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageTest {

    record Item(String id, Instant createTime) {}

    private static final Comparator<Item> ORDER = Comparator
            .comparing(Item::createTime, Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Item::id);

    private static List<Item> items(int n) {
        List<Item> items = new ArrayList<>();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            // Pairs share a createTime (the id decides), the fractions differ in length, one has none.
            items.add(new Item("item-" + (char) ('a' + i % 26) + i, t0.plusNanos((i / 2) * 1_500_000L + (i % 7 == 0 ? 1 : 0))));
        }
        items.add(new Item("no-time", null));
        return items.stream().sorted(ORDER).toList();
    }

    private static Page<Item> page(List<Item> all, String size, String token) {
        return Page.of(all, Item::createTime, Item::id, size, token);
    }

    @Test
    void pagesWalkTheWholeListOnceInOrder() {
        List<Item> all = items(23);
        List<Item> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Page<Item> p = page(all, "5", token);
            seen.addAll(p.items());
            token = p.nextPageToken();
            pages++;
        } while (token != null);
        assertEquals(all, seen);
        assertEquals(5, pages);
    }

    @Test
    void anItemDeletedOrAddedBetweenPagesShiftsNothing() {
        List<Item> all = items(10);
        Page<Item> first = page(all, "4", null);
        List<Item> changed = new ArrayList<>(all);
        changed.remove(3); // the last item of the first page is gone
        changed.remove(0);
        Page<Item> second = page(changed, "4", first.nextPageToken());
        assertEquals(all.subList(4, 8), second.items());
    }

    @Test
    void sizesDefaultAndAreCappedAndBadInputIsA400() {
        assertEquals(Page.DEFAULT_SIZE, Page.size(null));
        assertEquals(Page.DEFAULT_SIZE, Page.size("0"));
        assertEquals(Page.MAX_SIZE, Page.size("1000000"));
        assertEquals(7, Page.size(" 7 "));
        assertEquals("pageSize", field(() -> Page.size("-1")));
        assertEquals("pageSize", field(() -> Page.size("ten")));
        assertEquals("pageSize", field(() -> Page.size("99999999999")));
        assertEquals("pageToken", field(() -> page(items(3), null, "not a token!")));
        assertEquals("pageToken", field(() -> page(items(3), null, "aGVsbG8")));
        assertNull(page(items(3), null, null).nextPageToken());
        assertNull(page(items(3), null, null).body("things").get("nextPageToken"));
    }

    private static String field(Runnable r) {
        ProblemException e = assertThrows(ProblemException.class, r::run);
        return e.problem().getErrors().get(0).field();
    }
}
