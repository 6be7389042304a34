package dms.api.operations;

import dms.api.problems.Problems;
import dms.api.projection.OperationView;
import dms.api.projection.ProjectionStatus;
import dms.common.messages.Operation;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operations, the results of commands: poll one that answered 202 until {@code done}. */
@Path("/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
public class OperationResource {

    @Inject
    ProjectionStatus projection;
    @Inject
    OperationView operations;

    @GET
    @Path("{id}")
    @org.eclipse.microprofile.openapi.annotations.Operation(
            operationId = "getOperation", summary = "Get an operation by id (its name without the operations/ prefix); an error stays inside it")
    public Operation get(@PathParam("id") String id) {
        projection.requireRebuilt();
        return operations.find(Operation.nameOf(id)).orElseThrow(() -> Problems.notFound("no operation " + id
                + ": it never existed or it expired (operations are kept for the orchestrator's dms.operations.retention,"
                + " 7 days by default)"));
    }
}
