package dms.api.console;

import dms.api.problems.Problems;
import dms.api.profiles.CreateProfileRequest;
import dms.api.profiles.ProfileResource;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.MigrationJob;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The profile pages: the list with a create form, one profile with the jobs that use it. */
@Path(ConsolePaths.DATA + "/profiles")
@Produces(MediaType.TEXT_HTML)
public class ConsoleProfiles {

    @Inject
    ProfileResource api;
    @Inject
    ConsoleReads reads;
    @Inject
    Outcomes outcomes;

    @GET
    public TemplateInstance list(@HeaderParam(ConsoleJobs.REQUESTED_BY) String by) {
        return Views.profilesTable(reads.profiles(), reads.caller(by));
    }

    @GET
    @Path("{id}")
    public TemplateInstance profile(@PathParam("id") String id) {
        ConnectionProfile profile = api.get(id);
        List<MigrationJob> using = reads.jobs(null).stream().filter(j -> id.equals(j.source()) || id.equals(j.destination())).toList();
        return Views.profileDetail(profile, using);
    }

    /** The create form: the REST create, the password sealed there as for any client. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@FormParam("id") String id, @FormParam("displayName") String displayName,
                           @FormParam("host") String host, @FormParam("port") String port,
                           @FormParam("username") String username, @FormParam("password") String password,
                           @FormParam("sslMode") String sslMode, @HeaderParam(ConsoleJobs.REQUESTED_BY) String by) {
        CreateProfileRequest body = new CreateProfileRequest(orNull(id), orNull(displayName), orNull(host), port(port),
                orNull(username), orNull(password), orNull(sslMode), null, null, null);
        return outcomes.of("create-profile", api.create(body, by));
    }

    private static Integer port(String text) {
        if (ConsoleNewJob.blank(text)) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw Problems.invalid("port", "required: 1-65535");
        }
    }

    private static String orNull(String s) {
        return ConsoleNewJob.blank(s) ? null : s.strip();
    }
}
