package dms.api.projection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the projection is rebuilt from the topics and while Kafka answers. */
@Readiness
@ApplicationScoped
public class ProjectionReadiness implements HealthCheck {

    @Inject
    ProjectionStatus status;
    @Inject
    JobView jobs;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("projection")
                .status(status.ready())
                .withData("rebuilt", status.caughtUp())
                .withData("kafkaReachable", status.reachable())
                .withData("jobs", jobs.size());
        if (status.problem() != null) {
            response.withData("problem", status.problem());
        }
        return response.build();
    }
}
