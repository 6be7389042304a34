package dms.orchestrator.lifecycle;

import dms.common.messages.MigrationJob;
import dms.orchestrator.dump.CopyBundleSettings;
import dms.orchestrator.dump.CopyRetrySettings;
import dms.orchestrator.dump.DumpParallelismSettings;
import dms.orchestrator.progress.RetainedWalWarning;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every change of a job's lifecycle: load its snapshot, {@link Lifecycle#decide}, save what was
 * decided and write its messages to the outbox. Runs inside the caller's transaction (the
 * {@link dms.orchestrator.store.StateWriter}'s).
 */
@ApplicationScoped
public class JobLifecycle {

    @Inject
    SnapshotStore store;
    @Inject
    EffectOutbox effects;
    @Inject
    DumpParallelismSettings parallelism;
    @Inject
    CopyRetrySettings retries;
    @Inject
    CopyBundleSettings bundles;
    @Inject
    RetainedWalWarning walWarning;
    @ConfigProperty(name = "dms.promote.drain-timeout", defaultValue = "PT5M")
    Duration promoteTimeout;
    /** How long a dump task may go without word from its worker (a report or a heartbeat) before it is sent again. */
    @ConfigProperty(name = "dms.dump.task-lease", defaultValue = "PT5M")
    Duration taskLease;

    /** What one input did to the job: the decision, and the last job document it published (null if none). */
    public record Applied(Decision decision, MigrationJob document) {
        public boolean changed() {
            return decision.changed();
        }
    }

    public Applied apply(MigrationJobEntity job, Input input) {
        SnapshotStore.Loaded loaded = store.load(job);
        Decision decision = Lifecycle.decide(loaded.snapshot(), input, settings());
        if (!decision.changed()) {
            return new Applied(decision, null);
        }
        store.save(loaded, decision.job());
        return new Applied(decision, effects.send(job, decision.effects()));
    }

    public Settings settings() {
        return new Settings(parallelism::copiesInFlight, parallelism::streams, retries.policy(), walWarning, promoteTimeout, taskLease,
                bundles.bundles());
    }
}
