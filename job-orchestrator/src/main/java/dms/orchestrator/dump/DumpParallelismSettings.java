package dms.orchestrator.dump;

import dms.common.messages.DumpParallelism;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How many copy tasks of one job run at once: MIN 1, OPTIMAL the cores of a dump worker,
 * MAX twice that. The orchestrator does not see the workers' machines, so the core count
 * is configured ({@code dms.dump.worker-cores}, default: this machine's).
 */
@ApplicationScoped
public class DumpParallelismSettings {

    @ConfigProperty(name = "dms.dump.worker-cores")
    Optional<Integer> workerCores;

    public int copiesInFlight(DumpParallelism level) {
        int cores = workerCores.orElse(Runtime.getRuntime().availableProcessors());
        return switch (level == null ? DumpParallelism.OPTIMAL : level) {
            case MIN -> 1;
            case OPTIMAL -> Math.max(1, cores);
            case MAX -> Math.max(2, 2 * cores);
        };
    }
}
