package dms.api.projection;

import dms.common.messages.Operation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Operations by name, and the requests waiting for one to finish: the projection thread
 * completes their futures, so a waiting request wakes the moment the verdict is read.
 */
@ApplicationScoped
public class OperationView {

    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final Map<String, Set<CompletableFuture<Operation>>> waiters = new ConcurrentHashMap<>();

    /** Stores an operation; a finished one is never replaced by an unfinished one. */
    public void put(Operation op) {
        Operation kept = operations.merge(op.name(), op, (held, next) -> held.done() && !next.done() ? held : next);
        if (kept.done()) {
            Set<CompletableFuture<Operation>> waiting = waiters.remove(op.name());
            if (waiting != null) {
                waiting.forEach(f -> f.complete(kept));
            }
        }
    }

    /**
     * A command this replica published: GET answers {@code done: false} for it until the
     * orchestrator's own record arrives (which then replaces it), instead of a 404.
     */
    public void accepted(String name) {
        operations.putIfAbsent(name, new Operation(name, false, null, null, null));
    }

    public void remove(String name) {
        operations.remove(name);
    }

    public Optional<Operation> find(String name) {
        return Optional.ofNullable(operations.get(name));
    }

    /**
     * A future completed when the operation is done. Register before publishing the command;
     * registering then checking the map (while {@link #put} stores then completes) means
     * no verdict slips between the two.
     */
    public CompletableFuture<Operation> whenDone(String name) {
        CompletableFuture<Operation> future = new CompletableFuture<>();
        waiters.computeIfAbsent(name, n -> new CopyOnWriteArraySet<>()).add(future);
        Operation held = operations.get(name);
        if (held != null && held.done()) {
            future.complete(held);
        }
        return future;
    }

    /** Drops a waiter that gave up (timeout, failed publish). */
    public void forget(String name, CompletableFuture<Operation> future) {
        waiters.computeIfPresent(name, (n, set) -> {
            set.remove(future);
            return set.isEmpty() ? null : set;
        });
    }

    public int size() {
        return operations.size();
    }
}
