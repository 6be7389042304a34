package dms.api.auth;

import java.util.Optional;

/**
 * The role a request needs: reads (GET, HEAD, OPTIONS) need a viewer, everything else an
 * operator. Quarkus's own endpoints under {@code /q/} (health, metrics, OpenAPI) are open unless
 * {@code protectManagement}, then they need a viewer. The path is the normalized one, so
 * {@code /q/../v1/...} is not taken for a management path.
 */
public record AccessRule(boolean protectManagement) {

    /** Empty: no token needed. */
    public Optional<Role> needed(String method, String normalizedPath) {
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
