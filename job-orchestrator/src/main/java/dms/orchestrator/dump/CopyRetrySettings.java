package dms.orchestrator.dump;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The copy retry policy from the configuration: {@code dms.dump.retry.max-attempts} (3),
 * {@code dms.dump.retry.initial-backoff} (5s), {@code dms.dump.retry.max-backoff} (60s),
 * {@code dms.dump.retry.multiplier} (3). A bad combination stops the orchestrator at start.
 */
@Startup
@Singleton
public class CopyRetrySettings {

    @ConfigProperty(name = "dms.dump.retry.max-attempts", defaultValue = "3")
    int maxAttempts;
    @ConfigProperty(name = "dms.dump.retry.initial-backoff", defaultValue = "5s")
    Duration initialBackoff;
    @ConfigProperty(name = "dms.dump.retry.max-backoff", defaultValue = "60s")
    Duration maxBackoff;
    @ConfigProperty(name = "dms.dump.retry.multiplier", defaultValue = "3")
    double multiplier;

    private CopyRetryPolicy policy;

    @PostConstruct
    void init() {
        policy = new CopyRetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier);
    }

    public CopyRetryPolicy policy() {
        return policy;
    }
}
