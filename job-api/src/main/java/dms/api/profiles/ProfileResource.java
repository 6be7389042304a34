package dms.api.profiles;

import dms.api.commands.CommandGateway;
import dms.api.paging.Page;
import dms.api.problems.BodyFields;
import dms.api.problems.Problems;
import dms.api.projection.JobView;
import dms.api.projection.ProfileView;
import dms.api.projection.ProjectionStatus;
import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.MigrationJob;
import dms.common.secret.SecretCipher;
import dms.common.statemachine.JobState;
import dms.common.validation.CommandValidator;
import dms.common.validation.FieldError;
import dms.common.validation.ResourceIds;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import dms.api.openapi.ApiSchemas;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Connection profiles. The secrets (password, TLS client key) are encrypted here, before
 * anything leaves the request: the command carries {@code encryptedPassword} and
 * {@code encryptedSslKey} only, and no read returns either form.
 */
@Path("/v1/connection-profiles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Connection profiles")
public class ProfileResource {

    private static final String REQUESTED_BY = "X-Requested-By";

    @Inject
    ProjectionStatus projection;
    @Inject
    ProfileView profiles;
    @Inject
    JobView jobs;
    @Inject
    SecretCipher cipher;
    @Inject
    CommandGateway gateway;

    @POST
    @APIResponse(responseCode = "200", description = "done: the Operation", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.PROFILE_OPERATION)))
    @Operation(operationId = "createConnectionProfile", summary = "Create a profile (password and sslKey write-only); returns an Operation")
    public Response create(@NotNull CreateProfileRequest body, @HeaderParam(REQUESTED_BY) String requestedBy) {
        ConnectionProfile clear = new ConnectionProfile(
                body.id() == null ? ResourceIds.generate("profile") : body.id(),
                body.displayName(), body.host(), body.port(), body.username(), body.password(), null,
                body.sslMode() == null ? ConnectionProfile.DEFAULT_SSL_MODE : body.sslMode(),
                body.sslRootCert(), body.sslCert(), body.sslKey(), null, null, null);
        List<FieldError> errors = new ArrayList<>();
        CommandValidator.profile(clear, "connectionProfile", errors);
        BodyFields.requireNone(errors, "connectionProfile");
        projection.requireRebuilt();
        if (profiles.find(clear.id()).isPresent()) {
            throw Problems.alreadyExists("connection profile " + clear.id() + " already exists");
        }
        ConnectionProfile sealed = clear.sealed(cipher);
        Command command = Command.builder(CommandType.CREATE_CONNECTION_PROFILE)
                .profileId(sealed.id()).connectionProfile(sealed)
                .requestedBy(CommandGateway.requester(requestedBy)).build();
        return gateway.submit(command);
    }

    /** The jobs using the profile take the change at their next connection; running CDC streams reconnect with it. */
    @PATCH
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "done: the Operation", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.PROFILE_OPERATION)))
    @Operation(operationId = "updateConnectionProfile", summary = "Edit a profile: host, port, username, password, sslMode, TLS files (PEM; an empty value removes"
            + " one); jobs using it take the change at their next connection; returns an Operation")
    public Response edit(@PathParam("id") String id, @NotNull EditProfileRequest body, @HeaderParam(REQUESTED_BY) String requestedBy) {
        ConnectionProfile changes = new ConnectionProfile(null, body.displayName(), body.host(), body.port(), body.username(),
                body.password(), null, body.sslMode(), body.sslRootCert(), body.sslCert(), body.sslKey(), null, null, null);
        List<FieldError> errors = new ArrayList<>();
        CommandValidator.profileChanges(id, changes, "connectionProfile", errors);
        BodyFields.requireNone(errors, "connectionProfile");
        projection.requireRebuilt();
        if (profiles.find(id).isEmpty()) {
            throw Problems.notFound("no connection profile " + id);
        }
        return gateway.submit(Command.builder(CommandType.UPDATE_CONNECTION_PROFILE)
                .profileId(id).connectionProfile(changes.sealed(cipher))
                .requestedBy(CommandGateway.requester(requestedBy)).build());
    }

    @GET
    @APIResponse(responseCode = "200", description = "one page of profiles", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.PROFILE_LIST)))
    @Operation(operationId = "listConnectionProfiles", summary = "List profiles (without secrets), oldest first; ?pageSize= (default 500, at most 1000) "
            + "and ?pageToken= (the nextPageToken of the page before)")
    public Map<String, Object> list(@QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken) {
        projection.requireRebuilt();
        return Page.of(profiles.all(), ConnectionProfile::createTime, ConnectionProfile::id, pageSize, pageToken).body("connectionProfiles");
    }


    @GET
    @Path("{id}")
    @Operation(operationId = "getConnectionProfile", summary = "Get a profile (without secrets)")
    public ConnectionProfile get(@PathParam("id") String id) {
        projection.requireRebuilt();
        return profiles.find(id).orElseThrow(() -> Problems.notFound("no connection profile " + id));
    }

    /**
     * The databases of the profile's server, as the orchestrator lists them (it holds the secrets):
     * a command whose Operation answers them, as a mutating call's does (200 done, or 202 to poll).
     */
    @GET
    @Path("{id}/databases")
    @APIResponse(responseCode = "200", description = "done: the Operation, whose response lists the databases",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.DATABASES_OPERATION)))
    @Operation(operationId = "listConnectionProfileDatabases", summary = "List the databases of the profile's server that its user"
            + " may connect to (not templates), with their size and the jobs migrating them; returns an Operation")
    public Response databases(@PathParam("id") String id, @HeaderParam(REQUESTED_BY) String requestedBy) {
        projection.requireRebuilt();
        if (profiles.find(id).isEmpty()) {
            throw Problems.notFound("no connection profile " + id);
        }
        return gateway.submit(Command.builder(CommandType.LIST_DATABASES).profileId(id)
                .requestedBy(CommandGateway.requester(requestedBy)).build());
    }

    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "done: the Operation", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.PROFILE_DELETE_OPERATION)))
    @Operation(operationId = "deleteConnectionProfile", summary = "Delete a profile no live job uses; returns an Operation")
    public Response delete(@PathParam("id") String id, @HeaderParam(REQUESTED_BY) String requestedBy) {
        projection.requireRebuilt();
        if (profiles.find(id).isEmpty()) {
            throw Problems.notFound("no connection profile " + id);
        }
        List<String> users = jobs.all().stream()
                .filter(j -> j.state() != JobState.DELETED)
                .filter(j -> id.equals(j.source()) || id.equals(j.destination()))
                .map(MigrationJob::id).toList();
        if (!users.isEmpty()) {
            throw Problems.failedPrecondition("connection profile " + id + " is used by jobs " + String.join(", ", users));
        }
        return gateway.submit(Command.builder(CommandType.DELETE_CONNECTION_PROFILE).profileId(id)
                .requestedBy(CommandGateway.requester(requestedBy)).build());
    }
}
