package dms.api.auth;

import dms.api.problems.Problem;
import dms.api.problems.ProblemKind;
import dms.api.problems.ProblemResponses;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code Authorization: Bearer <token>} on every HTTP route (REST and {@code /q/}): 401 without
 * a known token, 403 when its role is not enough, both as problem+json. With no token configured
 * authentication is off, and the start says so loudly. Neither the header nor a token is ever
 * logged; the token's name replaces {@code X-Requested-By}, so the audit trail names who acted.
 */
@ApplicationScoped
public class BearerAuthFilter {

    /** Runs before the body limit and the REST resources. */
    static final int PRIORITY = 200;
    static final String REQUESTED_BY = "X-Requested-By";
    /** The authenticated token's {@link Role}, for the console to show only what the caller may do. */
    public static final String CALLER_ROLE = "dms.caller-role";

    @Inject
    TokenSource source;
    @Inject
    ProblemResponses responses;
    @ConfigProperty(name = "dms.api.auth.protect-management", defaultValue = "false")
    boolean protectManagement;

    private TokenRegistry registry;
    private AccessRule rule;

    void register(@Observes Filters filters) {
        registry = source.load();
        rule = new AccessRule(protectManagement);
        if (registry.isEmpty()) {
            Log.warn("REST authentication is OFF: no token in dms.api.auth.tokens or dms.api.auth.tokens-file. "
                    + "Anyone who reaches this port can create, start, promote and delete migrations. "
                    + "Configure tokens outside a laptop (docs/security.md).");
            return;
        }
        registry.warnings().forEach(Log::warn);
        Log.infof("REST authentication is on: %d token(s) (%s); /q/ endpoints %s", registry.tokens().size(),
                registry.tokens().stream().map(t -> t.name() + ": " + t.role().label()).collect(Collectors.joining(", ")),
                protectManagement ? "need a viewer token" : "are open");
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext rc) {
        Optional<Role> needed = rule.needed(rc.request().method().name(), rc.normalizedPath());
        if (needed.isEmpty()) {
            rc.next();
            return;
        }
        Optional<ApiToken> token = BearerHeader.token(rc.request().getHeader("Authorization")).flatMap(registry::authenticate);
        if (token.isEmpty()) {
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"dms\"");
            responses.end(rc, Problem.of(ProblemKind.UNAUTHENTICATED,
                    "send a valid token: Authorization: Bearer <token>"));
            return;
        }
        ApiToken who = token.get();
        if (!who.role().allows(needed.get())) {
            responses.end(rc, Problem.of(ProblemKind.PERMISSION_DENIED, "token " + who.name() + " has role "
                    + who.role().label() + "; " + rc.request().method().name() + " " + rc.normalizedPath()
                    + " needs " + needed.get().label()).with("role", who.role().label()).with("requiredRole", needed.get().label()));
            return;
        }
        rc.request().headers().set(REQUESTED_BY, who.name());
        rc.put(CALLER_ROLE, who.role());
        rc.next();
    }
}
