package dms.api.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Every page of one of the API's lists: the console shows all the jobs, not the first 500. */
final class AllPages {

    private static final String PAGE_SIZE = "1000";

    private AllPages() {}

    /** {@code list} is the REST resource's list call, given a page size and a page token. */
    @SuppressWarnings("unchecked")
    static <T> List<T> of(BiFunction<String, String, Map<String, Object>> list, String key) {
        List<T> all = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> page = list.apply(PAGE_SIZE, token);
            all.addAll((List<T>) page.get(key));
            token = (String) page.get("nextPageToken");
        } while (token != null);
        return all;
    }
}
