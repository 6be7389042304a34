package dms.orchestrator.dump;

import dms.common.messages.DumpParallelism;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What a job's dumpParallelism means, for C the cores of a dump worker ({@code dms.dump.worker-cores}, default: this
 * machine's; the orchestrator does not see the workers' machines):
 * <ul>
 *   <li>copy tasks in flight: MIN 1, OPTIMAL C / 2 (at least 1), MAX 2 × C. OPTIMAL leaves half the streams to the
 *       index builds that follow each table's copy: a build next to the next table's copy is what gains, where a
 *       second copy at once did not (bench/README.md: 3.3 GB on 2 cores, one copy at a time with the builds beside
 *       it 34.8 s, two at once 43.8 s);</li>
 *   <li>post-data's parallel jobs ({@code pg_restore -j}): MIN 1, OPTIMAL C, MAX 2 × C.</li>
 * </ul>
 */
@ApplicationScoped
public class DumpParallelismSettings {

    @ConfigProperty(name = "dms.dump.worker-cores")
    Optional<Integer> workerCores;

    public int copiesInFlight(DumpParallelism level) {
        // OPTIMAL leaves half its streams to the index builds; MIN and MAX copy on all of theirs.
        return level == null || level == DumpParallelism.OPTIMAL ? Math.max(1, cores() / 2) : streams(level);
    }

    /** The streams the job's dump may keep busy at once: post-data's parallel jobs. */
    public int streams(DumpParallelism level) {
        return switch (level == null ? DumpParallelism.OPTIMAL : level) {
            case MIN -> 1;
            case OPTIMAL -> Math.max(1, cores());
            case MAX -> Math.max(2, 2 * cores());
        };
    }

    private int cores() {
        return workerCores.orElse(Runtime.getRuntime().availableProcessors());
    }
}
