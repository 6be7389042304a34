package dms.orchestrator.lifecycle;

import dms.orchestrator.store.MigrationJobEntity;
import dms.orchestrator.store.StateWriter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A timer's tick, for the timers of the lifecycle (copy retries, task leases, promote deadlines) and
 * the data checks' leases:
 * the jobs it concerns, looked up outside the writers' lock (most ticks there is nothing to do), then
 * the timer's input applied to each through the {@link StateWriter} (one transaction under the
 * writers' lock, like a report). A failure leaves the job to the next tick.
 */
@ApplicationScoped
public class TimerInputs {

    private static final Logger LOG = Logger.getLogger(TimerInputs.class);

    @Inject
    StateWriter writer;
    @Inject
    JobLifecycle lifecycle;

    /**
     * @param what     what the timer does, for the logs ("due copy retries")
     * @param lookup   the ids of the jobs to give the input to (in a transaction of its own)
     * @param input    the input, made per job
     * @param ifChanged called with the job's id when the input changed it
     */
    public void tick(String what, Callable<Collection<String>> lookup, Supplier<Input> input, Consumer<String> ifChanged) {
        tickJobs(what, lookup, job -> lifecycle.apply(job, input.get()).changed(), ifChanged);
    }

    /**
     * The same for a timer outside the lifecycle (the data checks' leases): {@code apply} is given
     * each job, in the writer's transaction, and says whether it changed it.
     */
    public void tickJobs(String what, Callable<Collection<String>> lookup, Predicate<MigrationJobEntity> apply,
                         Consumer<String> ifChanged) {
        Collection<String> jobs;
        try {
            jobs = QuarkusTransaction.requiringNew().call(lookup);
        } catch (RuntimeException e) {
            // The control database is away (the health check says so): the next tick tries again.
            LOG.debugf("%s not looked up: %s", what, e.getMessage());
            return;
        }
        for (String id : jobs) {
            try {
                boolean changed = writer.write(() -> {
                    MigrationJobEntity job = MigrationJobEntity.findById(id);
                    return job != null && apply.test(job);
                });
                if (changed) {
                    ifChanged.accept(id);
                }
            } catch (RuntimeException e) {
                LOG.warnf("%s of job %s not handled yet (next tick): %s", what, id, e.getMessage());
            }
        }
    }
}
