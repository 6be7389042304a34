package dms.api.console;

import dms.common.statemachine.JobState;
import dms.common.validation.ResourceIds;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.List;

/** The console's pages: shells without data, open to load (see {@link ConsolePaths}). */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ConsolePages {

    private static final List<String> STATES = Arrays.stream(JobState.values()).map(Enum::name).toList();

    @GET
    public TemplateInstance jobs() {
        return Views.jobsPage(STATES);
    }

    @GET
    @Path("ui")
    public Response home() {
        return Response.seeOther(URI.create("/")).build();
    }

    @GET
    @Path("ui/jobs/{id}")
    public TemplateInstance job(@PathParam("id") String id) {
        return Views.jobPage(valid(id));
    }

    @GET
    @Path("ui/new-job")
    public TemplateInstance newJob() {
        return Views.newJobPage();
    }

    @GET
    @Path("ui/profiles")
    public TemplateInstance profiles() {
        return Views.profilesPage();
    }

    @GET
    @Path("ui/profiles/{id}")
    public TemplateInstance profile(@PathParam("id") String id) {
        return Views.profilePage(valid(id));
    }

    /** The id goes into the page's data URLs: only a well-formed one, so a link cannot point them elsewhere. */
    private static String valid(String id) {
        if (!ResourceIds.isValid(id)) {
            throw new NotFoundException();
        }
        return id;
    }

    @GET
    @Path("ui/login")
    public TemplateInstance login() {
        return Views.loginPage();
    }
}
