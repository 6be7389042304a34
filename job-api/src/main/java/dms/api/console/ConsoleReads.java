package dms.api.console;

import dms.api.jobs.JobResource;
import dms.api.profiles.ProfileResource;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.MigrationJob;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** What several console pages read, through the REST resources' own list calls (every page of them). */
@ApplicationScoped
public class ConsoleReads {

    @Inject
    JobResource jobs;
    @Inject
    ProfileResource profiles;
    @Inject
    CurrentVertxRequest request;

    /** The jobs, of one state when {@code state} is given (the API's filter), else those not deleted. */
    List<MigrationJob> jobs(String state) {
        return AllPages.of((size, token) -> jobs.list(state, null, null, size, token), "migrationJobs");
    }

    List<ConnectionProfile> profiles() {
        return AllPages.of(profiles::list, "connectionProfiles");
    }

    /** Who asks: {@code requestedBy} is the {@code X-Requested-By} the bearer filter set to the token's name. */
    Caller caller(String requestedBy) {
        return Caller.of(request.getCurrent(), requestedBy);
    }
}
