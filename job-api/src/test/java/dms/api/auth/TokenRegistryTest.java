package dms.api.auth;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenRegistryTest {

    private static final String OPS = "ops-token-0123456789abcdef";
    private static final String VIEW = "view-token-0123456789abcdef";

    private static TokenRegistry parse(String... entries) {
        return TokenRegistry.parse(TokenRegistry.Entry.of("dms.api.auth.tokens", List.of(entries)));
    }

    @Test
    void aTokenFindsItsEntryAndNothingElseDoes() {
        TokenRegistry registry = parse("ci:operator:" + OPS, "# a comment", "", "grafana:VIEWER:sha256:" + TokenHash.hex(VIEW));
        assertEquals("ci", registry.authenticate(OPS).orElseThrow().name());
        assertEquals(Role.OPERATOR, registry.authenticate(OPS).orElseThrow().role());
        assertEquals("grafana", registry.authenticate(VIEW).orElseThrow().name());
        assertEquals(Role.VIEWER, registry.authenticate(VIEW).orElseThrow().role());
        assertTrue(registry.authenticate(OPS + "x").isEmpty());
        assertTrue(registry.authenticate(OPS.substring(1)).isEmpty());
        assertTrue(registry.authenticate("").isEmpty());
        // A pre-hashed entry is matched by its token, not by the hash text.
        assertTrue(registry.authenticate("sha256:" + TokenHash.hex(VIEW)).isEmpty());
    }

    @Test
    void aTokenMayContainColons() {
        assertEquals("ci", parse("ci:operator:a:b:c-0123456789abcdef").authenticate("a:b:c-0123456789abcdef").orElseThrow().name());
    }

    @Test
    void noEntryMeansAuthenticationIsOff() {
        assertTrue(parse().isEmpty());
        assertTrue(parse(" ", "# only a comment").isEmpty());
    }

    @Test
    void badEntriesStopTheStartWithoutQuotingTheToken() {
        String secret = "do-not-print-me-0123456789";
        assertBad("entry 1: expected name:role:token", "ci-" + secret);
        assertBad("the role of ci must be viewer or operator", "ci:admin:" + secret);
        assertBad("the name must be", "c i:operator:" + secret);
        assertBad("the token of ci is empty", "ci:operator: ");
        assertBad("is not 64 hex digits", "ci:operator:sha256:" + secret);
        assertBad("entry 2: the name ci is used twice", "ci:operator:" + secret, "ci:viewer:other-0123456789abcdef");
        assertBad("entry 2: the token of b is also another entry's token", "a:operator:" + secret, "b:viewer:" + secret);
        for (String entry : List.of("ci-" + secret, "ci:admin:" + secret, "c i:operator:" + secret)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(entry));
            assertFalse(e.getMessage().contains(secret), e.getMessage());
        }
    }

    @Test
    void aShortTokenIsAcceptedButWarnedAbout() {
        TokenRegistry registry = parse("dev:operator:short");
        assertTrue(registry.authenticate("short").isPresent());
        assertEquals(1, registry.warnings().size());
        assertFalse(registry.warnings().get(0).contains(":short"), registry.warnings().get(0));
    }

    private static void assertBad(String expected, String... entries) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(entries));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
