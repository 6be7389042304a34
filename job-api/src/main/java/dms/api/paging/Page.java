package dms.api.paging;

import dms.api.problems.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One page of a list sorted by (createTime, id), AIP-158 style: {@code pageSize} (default
 * {@value #DEFAULT_SIZE}, larger values are lowered to {@value #MAX_SIZE}) and the
 * {@code nextPageToken} of the previous page. The token holds the position after the last item
 * returned, not an offset: items created or deleted meanwhile shift nothing.
 */
public record Page<T>(List<T> items, String nextPageToken) {

    public static final int DEFAULT_SIZE = 500;
    public static final int MAX_SIZE = 1000;

    /** {@code sorted} must be in (createTime, id) order (createTime null last), as the views return it. */
    public static <T> Page<T> of(List<T> sorted, Function<T, Instant> createTime, Function<T, String> id,
                                 String pageSize, String pageToken) {
        int size = size(pageSize);
        String after = pageToken == null || pageToken.isBlank() ? null : position(pageToken);
        List<T> items = new ArrayList<>();
        String last = null;
        boolean more = false;
        for (T item : sorted) {
            String position = positionOf(createTime.apply(item), id.apply(item));
            if (after != null && position.compareTo(after) <= 0) {
                continue;
            }
            if (items.size() == size) {
                more = true;
                break;
            }
            items.add(item);
            last = position;
        }
        return new Page<>(items, more ? token(last) : null);
    }

    /** The answer body: {@code {name: [...], "nextPageToken": "..."}} (the token only when there is more). */
    public Map<String, Object> body(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(name, items);
        if (nextPageToken != null) {
            body.put("nextPageToken", nextPageToken);
        }
        return body;
    }

    static int size(String pageSize) {
        if (pageSize == null || pageSize.isBlank()) {
            return DEFAULT_SIZE;
        }
        int size;
        try {
            size = Integer.parseInt(pageSize.strip());
        } catch (NumberFormatException e) {
            throw Problems.invalid("pageSize", "expected a whole number 1-" + MAX_SIZE);
        }
        if (size < 0) {
            throw Problems.invalid("pageSize", "expected a whole number 1-" + MAX_SIZE);
        }
        return size == 0 ? DEFAULT_SIZE : Math.min(size, MAX_SIZE);
    }

    /** Fixed-width epoch nanoseconds then the id: compares as strings in the views' order. */
    static String positionOf(Instant time, String id) {
        String nanos = time == null ? "9".repeat(20)
                : String.format("%020d", Math.max(0, time.getEpochSecond()) * 1_000_000_000L + time.getNano());
        return nanos + "|" + id;
    }

    private static String token(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    private static String position(String token) {
        try {
            String position = new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.UTF_8);
            if (position.matches("\\d{20}\\|.{1,100}")) {
                return position;
            }
        } catch (IllegalArgumentException e) {
            // not base64: answered below
        }
        throw Problems.invalid("pageToken", "not a nextPageToken of this list");
    }
}
