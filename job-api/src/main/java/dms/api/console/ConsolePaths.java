package dms.api.console;

/**
 * Where the web console lives. Its pages ({@code /} and {@code /ui/...}) and assets
 * ({@code /ui/assets/}, htmx under {@code /webjars/}) are shells that hold no data, so a browser
 * can load them before it has a token; everything they show comes from {@code /ui/data/},
 * fetched by htmx with the token in an {@code Authorization} header and so under the API's
 * rule. No cookie carries the token, so no other site can make a browser act (no CSRF).
 */
public final class ConsolePaths {

    public static final String DATA = "/ui/data";

    private ConsolePaths() {}

    /** A console page or asset: readable without a token. {@code path} is the normalized one. */
    public static boolean isOpen(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return false;
        }
        if (path.equals("/") || path.startsWith("/webjars/")) {
            return true;
        }
        return (path.equals("/ui") || path.startsWith("/ui/")) && !path.equals(DATA) && !path.startsWith(DATA + "/");
    }
}
