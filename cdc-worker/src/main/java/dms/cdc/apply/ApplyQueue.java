package dms.cdc.apply;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands whole source transactions from the thread that reads the stream to the thread that applies them, so
 * reading the next ones goes on while the destination commits. Bounded by the changes it holds and by their
 * approximate size: a backlog waits in the slot, not in memory, however large its rows. The apply side takes
 * everything that is waiting (up to its limits) in one group: the slower the destination, the bigger its
 * transactions.
 *
 * @param <T> a transaction (with whatever the caller needs to acknowledge it)
 */
public final class ApplyQueue<T> {

    private record Item<T>(T value, int changes, long bytes, boolean alone) {}

    private final long maxChanges;
    private final long maxBytes;
    private final ArrayDeque<Item<T>> items = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private long changes;
    private long bytes;
    private boolean closed;

    /**
     * @param maxChanges changes held at most
     * @param maxBytes approximate bytes held at most; a transaction over either bound still goes in when the queue
     *     is empty
     */
    public ApplyQueue(long maxChanges, long maxBytes) {
        this.maxChanges = maxChanges;
        this.maxBytes = maxBytes;
    }

    /** Adds a transaction, waiting while the queue is full. False when the queue is closed (the transaction is dropped). */
    public boolean put(T value, int changeCount, long byteCount) throws InterruptedException {
        return put(value, changeCount, byteCount, false);
    }

    /**
     * Adds an item that {@link #takeGroup} hands over alone, never grouped with others (a part of a big
     * transaction, or its END: applied in their own destination transaction).
     */
    public boolean putAlone(T value, int changeCount, long byteCount) throws InterruptedException {
        return put(value, changeCount, byteCount, true);
    }

    private boolean put(T value, int changeCount, long byteCount, boolean alone) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!closed && !items.isEmpty() && (changes + changeCount > maxChanges || bytes + byteCount > maxBytes)) {
                notFull.await();
            }
            if (closed) {
                return false;
            }
            items.add(new Item<>(value, changeCount, byteCount, alone));
            changes += changeCount;
            bytes += byteCount;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a transaction, then takes it with those queued after it, up to {@code maxTransactions} and
     * {@code maxGroupChanges} (the first is always taken); an item put alone makes a group of its own. Empty once
     * the queue is closed.
     */
    public List<T> takeGroup(int maxTransactions, long maxGroupChanges) throws InterruptedException {
        return takeGroup(maxTransactions, maxGroupChanges, Long.MAX_VALUE);
    }

    /** As {@link #takeGroup(int, long)}, waiting {@code maxWaitNanos} at most: null if nothing came by then. */
    public List<T> takeGroup(int maxTransactions, long maxGroupChanges, long maxWaitNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long wait = maxWaitNanos;
            while (!closed && items.isEmpty()) {
                if (wait <= 0) {
                    return null;
                }
                wait = notEmpty.awaitNanos(wait);
            }
            if (closed) {
                return List.of();
            }
            List<T> group = new ArrayList<>();
            long groupChanges = 0;
            while (!items.isEmpty() && group.size() < maxTransactions
                    && (group.isEmpty() || groupChanges + items.peek().changes() <= maxGroupChanges && !items.peek().alone())) {
                Item<T> item = items.poll();
                group.add(item.value());
                groupChanges += item.changes();
                changes -= item.changes();
                bytes -= item.bytes();
                if (item.alone()) {
                    break;
                }
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
            bytes = 0;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
