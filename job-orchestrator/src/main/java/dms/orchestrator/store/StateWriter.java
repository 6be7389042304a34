package dms.orchestrator.store;

import dms.orchestrator.outbox.OutboxRelay;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one way job state is written: a unit of work runs in its own transaction under a
 * single lock, so outbox ids follow commit order; the relay then sends the outbox in id order
 * on its own thread, so the records of a key reach Kafka in the order the changes were made
 * (a compacted topic keeps the newest document, never a stale one). A writer does not wait for
 * Kafka: a burst of commands costs one commit each, and the relay sends what piled up
 * meanwhile in one batch.
 */
@ApplicationScoped
public class StateWriter {

    private final ReentrantLock lock = new ReentrantLock(true);

    @Inject
    OutboxRelay relay;

    public <T> T write(Callable<T> work) {
        T result;
        lock.lock();
        try {
            result = QuarkusTransaction.requiringNew().call(work);
        } catch (QuarkusTransactionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        } finally {
            lock.unlock();
        }
        relay.wake();
        return result;
    }

    public void write(Runnable work) {
        write(() -> {
            work.run();
            return null;
        });
    }
}
