package dms.api.auth;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessRuleTest {

    @Test
    void readsNeedAViewerAndEverythingElseAnOperator() {
        AccessRule rule = new AccessRule(false);
        assertEquals(Optional.of(Role.VIEWER), rule.needed("GET", "/v1/migration-jobs"));
        assertEquals(Optional.of(Role.VIEWER), rule.needed("HEAD", "/v1/operations/x"));
        assertEquals(Optional.of(Role.OPERATOR), rule.needed("POST", "/v1/migration-jobs/a:start"));
        assertEquals(Optional.of(Role.OPERATOR), rule.needed("PATCH", "/v1/migration-jobs/a"));
        assertEquals(Optional.of(Role.OPERATOR), rule.needed("DELETE", "/v1/connection-profiles/p"));
        assertEquals(Optional.of(Role.OPERATOR), rule.needed("BREW", "/"));
    }

    @Test
    void managementEndpointsAreOpenUnlessProtected() {
        assertEquals(Optional.empty(), new AccessRule(false).needed("GET", "/q/health/ready"));
        assertEquals(Optional.empty(), new AccessRule(false).needed("GET", "/q/metrics"));
        assertEquals(Optional.of(Role.VIEWER), new AccessRule(true).needed("GET", "/q/metrics"));
        // Only the /q segment itself: /qx is an API path.
        assertEquals(Optional.of(Role.OPERATOR), new AccessRule(false).needed("POST", "/qx/health"));
    }

    @Test
    void theConsolePagesAreOpenAndTheirDataFollowsTheApiRule() {
        AccessRule rule = new AccessRule(true);
        for (String page : new String[] {"/", "/ui", "/ui/jobs/orders", "/ui/login", "/ui/assets/console.js",
                "/webjars/htmx.org/dist/htmx.min.js"}) {
            assertEquals(Optional.empty(), rule.needed("GET", page), page);
        }
        assertEquals(Optional.of(Role.OPERATOR), rule.needed("POST", "/ui/jobs/orders"));
        assertEquals(Optional.of(Role.VIEWER), rule.needed("GET", "/ui/data"));
        assertEquals(Optional.of(Role.VIEWER), rule.needed("GET", "/ui/data/jobs/orders"));
        assertEquals(Optional.of(Role.OPERATOR), rule.needed("POST", "/ui/data/jobs/orders/actions/promote"));
        // Only the /ui segment: /uix is an API path.
        assertEquals(Optional.of(Role.VIEWER), rule.needed("GET", "/uix"));
    }

    @Test
    void anOperatorMayReadAndAViewerMayNotAct() {
        assertTrue(Role.OPERATOR.allows(Role.VIEWER));
        assertTrue(Role.OPERATOR.allows(Role.OPERATOR));
        assertTrue(Role.VIEWER.allows(Role.VIEWER));
        assertFalse(Role.VIEWER.allows(Role.OPERATOR));
    }

    @Test
    void theBearerSchemeIsCaseInsensitiveAndNothingElseIsAToken() {
        assertEquals(Optional.of("abc"), BearerHeader.token("Bearer abc"));
        assertEquals(Optional.of("abc"), BearerHeader.token("bearer   abc "));
        assertEquals(Optional.empty(), BearerHeader.token("Basic YWxhZGRpbjpvcGVuc2VzYW1l"));
        assertEquals(Optional.empty(), BearerHeader.token("Bearer "));
        assertEquals(Optional.empty(), BearerHeader.token("Bearerabc"));
        assertEquals(Optional.empty(), BearerHeader.token(null));
    }
}
