package dms.api.auth;

import dms.api.console.ConsolePaths;
import java.util.Optional;

/**
 * The role a request needs: reads (GET, HEAD, OPTIONS) need a viewer, everything else an
 * operator. Quarkus's own endpoints under {@code /q/} (health, metrics, OpenAPI) are open unless
 * {@code protectManagement}, then they need a viewer. The path is the normalized one, so
 * {@code /q/../v1/...} is not taken for a management path. The web console's pages and assets
 * ({@link ConsolePaths#isOpen}) hold no data and are open: their content comes from
 * {@code /ui/data/}, which follows the rule of the API (a viewer reads, an operator acts).
 */
public record AccessRule(boolean protectManagement) {

    /** Empty: no token needed. */
    public Optional<Role> needed(String method, String normalizedPath) {
        if (ConsolePaths.isOpen(method, normalizedPath)) {
            return Optional.empty();
        }
        boolean management = normalizedPath.equals("/q") || normalizedPath.startsWith("/q/");
        if (management) {
            return protectManagement ? Optional.of(Role.VIEWER) : Optional.empty();
        }
        return switch (method) {
            case "GET", "HEAD", "OPTIONS" -> Optional.of(Role.VIEWER);
            default -> Optional.of(Role.OPERATOR);
        };
    }
}
