package dms.api.limits;

import dms.api.problems.Problem;
import dms.api.problems.ProblemKind;
import dms.api.problems.ProblemResponses;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body announced larger than {@code quarkus.http.limits.max-body-size} is refused with a
 * problem+json 413 before it is read. (A chunked body without Content-Length that grows past the
 * limit is cut off by Quarkus itself, with a bare 413.)
 */
@ApplicationScoped
public class BodyLimitFilter {

    /** After authentication: an anonymous client learns nothing about the limits. */
    static final int PRIORITY = 100;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;
    @Inject
    ProblemResponses responses;

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext rc) {
        String length = rc.request().getHeader("Content-Length");
        if (length != null && tooLarge(length, maxBodySize.asLongValue())) {
            // The client is still sending: close after answering rather than read the rest.
            rc.response().putHeader("Connection", "close");
            responses.end(rc, Problem.of(ProblemKind.PAYLOAD_TOO_LARGE, "the body has " + length.strip()
                    + " bytes; at most " + maxBodySize.asLongValue() + " are accepted").with("maxBodyBytes", maxBodySize.asLongValue()));
            return;
        }
        rc.next();
    }

    static boolean tooLarge(String contentLength, long max) {
        try {
            return Long.parseLong(contentLength.strip()) > max;
        } catch (NumberFormatException e) {
            return false; // Vert.x answers a malformed Content-Length itself
        }
    }
}
