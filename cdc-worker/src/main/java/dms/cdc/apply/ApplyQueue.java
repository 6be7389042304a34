package dms.cdc.apply;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands whole source transactions from the thread that reads the stream to the thread that applies them, so
 * reading the next ones goes on while the destination commits. Bounded by the changes it holds: a backlog waits
 * in the slot, not in memory. The apply side takes everything that is waiting (up to its limits) in one group:
 * the slower the destination, the bigger its transactions.
 *
 * @param <T> a transaction (with whatever the caller needs to acknowledge it)
 */
public final class ApplyQueue<T> {

    private record Item<T>(T value, int changes) {}

    private final long capacity;
    private final ArrayDeque<Item<T>> items = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private long changes;
    private boolean closed;

    /** @param capacity changes held at most; one transaction bigger than that is still taken when the queue is empty */
    public ApplyQueue(long capacity) {
        this.capacity = capacity;
    }

    /** Adds a transaction, waiting while the queue is full. False when the queue is closed (the transaction is dropped). */
    public boolean put(T value, int changeCount) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!closed && !items.isEmpty() && changes + changeCount > capacity) {
                notFull.await();
            }
            if (closed) {
                return false;
            }
            items.add(new Item<>(value, changeCount));
            changes += changeCount;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a transaction, then takes it with those queued after it, up to {@code maxTransactions} and
     * {@code maxChanges} (the first is always taken). Empty once the queue is closed.
     */
    public List<T> takeGroup(int maxTransactions, long maxChanges) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!closed && items.isEmpty()) {
                notEmpty.await();
            }
            if (closed) {
                return List.of();
            }
            List<T> group = new ArrayList<>();
            long groupChanges = 0;
            while (!items.isEmpty() && group.size() < maxTransactions
                    && (group.isEmpty() || groupChanges + items.peek().changes() <= maxChanges)) {
                Item<T> item = items.poll();
                group.add(item.value());
                groupChanges += item.changes();
                changes -= item.changes();
            }
            notFull.signalAll();
            return group;
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is queued and wakes both sides: put returns false, takeGroup an empty group. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            items.clear();
            changes = 0;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
