package dms.cli.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A user's id inside a URL path: percent-encoded, so that no input can change the path. */
public final class PathSegment {

    private PathSegment() {}

    public static String of(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
