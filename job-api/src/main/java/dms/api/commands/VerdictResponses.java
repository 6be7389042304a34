package dms.api.commands;

import dms.api.problems.Problems;
import dms.common.messages.Operation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The HTTP answer to a command: its finished Operation (200), its error (problem), or still running (202). */
public final class VerdictResponses {

    private VerdictResponses() {}

    public static Response of(Operation op) {
        if (!op.done()) {
            return pending(op.name());
        }
        if (op.error() != null) {
            return Problems.fromOperation(op).toResponse();
        }
        return Response.ok(op, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** 202 with where to look later. */
    public static Response pending(String name) {
        return Response.accepted(new Operation(name, false, null, null, null))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .location(URI.create("/v1/" + name))
                .build();
    }
}
