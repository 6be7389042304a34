package dms.orchestrator.store;

import dms.orchestrator.outbox.OutboxRelay;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import io.quarkus.runtime.ShutdownEvent;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one way job state is written: a unit of work runs in its own transaction under a
 * single lock, then the outbox it filled is sent. One writer at a time keeps outbox ids in
 * commit order, so the records of a key reach Kafka in the order the changes were made
 * (a compacted topic keeps the newest document, never a stale one).
 */
@ApplicationScoped
public class StateWriter {

    private final ReentrantLock lock = new ReentrantLock(true);
    private volatile boolean stopping;

    @Inject
    OutboxRelay relay;

    public <T> T write(Callable<T> work) {
        lock.lock();
        try {
            T result;
            try {
                result = QuarkusTransaction.requiringNew().call(work);
            } catch (QuarkusTransactionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
            relay.drain();
            return result;
        } finally {
            lock.unlock();
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    public void write(Runnable work) {
        write(() -> {
            work.run();
            return null;
        });
    }

    /** Sends what an earlier drain could not (Kafka was down, or the process restarted). */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retryPending() {
        if (!stopping && lock.tryLock()) {
            try {
                relay.drain();
            } finally {
                lock.unlock();
            }
        }
    }
}
