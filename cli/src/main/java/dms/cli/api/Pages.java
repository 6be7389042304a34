package dms.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A list call of the API, read to its end: each page's {@code nextPageToken} asks for the next one. */
public final class Pages {

    private Pages() {}

    /**
     * @param path     the list's path, with its query if any ({@code /v1/migration-jobs?state=RUNNING})
     * @param field    the array of the page ({@code migrationJobs})
     * @param pageSize items a call, or null for the API's default
     */
    public static List<JsonNode> all(ApiClient api, String path, String field, Integer pageSize) {
        List<JsonNode> items = new ArrayList<>();
        String token = null;
        do {
            StringBuilder url = new StringBuilder(path);
            if (pageSize != null) {
                url.append(url.indexOf("?") < 0 ? '?' : '&').append("pageSize=").append(pageSize);
            }
            if (token != null) {
                url.append(url.indexOf("?") < 0 ? '?' : '&').append("pageToken=").append(URLEncoder.encode(token, StandardCharsets.UTF_8));
            }
            JsonNode page = api.get(url.toString());
            page.path(field).forEach(items::add);
            JsonNode next = page.get("nextPageToken");
            token = next == null || next.isNull() || next.asText().isEmpty() ? null : next.asText();
        } while (token != null);
        return items;
    }
}
