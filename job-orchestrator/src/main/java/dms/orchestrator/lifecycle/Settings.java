package dms.orchestrator.lifecycle;

import dms.common.messages.DumpParallelism;
import dms.orchestrator.dump.CopyBundles;
import dms.orchestrator.dump.CopyRetryPolicy;
import dms.orchestrator.progress.RetainedWalWarning;
import java.time.Duration;
import java.util.function.ToIntFunction;

/**
 * The configuration decisions depend on: copies in flight and post-data's parallel jobs per parallelism level, when a failed
 * copy is tried again, when retained WAL deserves a warning, how long a promote may drain, and how
 * long a dump task's lease lasts without word from its worker ({@link TaskLeases}), and which small tables go to a worker
 * several in one task ({@link CopyBundles}).
 */
public record Settings(ToIntFunction<DumpParallelism> copiesInFlight, ToIntFunction<DumpParallelism> postDataJobs,
                       CopyRetryPolicy retryPolicy, RetainedWalWarning walWarning, Duration promoteTimeout, Duration taskLease,
                       CopyBundles bundles) {

    int copiesInFlight(DumpParallelism level) {
        return copiesInFlight.applyAsInt(level);
    }

    int postDataJobs(DumpParallelism level) {
        return postDataJobs.applyAsInt(level);
    }
}
