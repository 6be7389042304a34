package dms.dump.postdata;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This worker's streams shared by copies and index builds, as pgcopydb's --index-jobs: each index or
 * key constraint of a loaded table is its own job. A table's jobs wait here, biggest first, and a stream
 * no copy nor build uses ({@code dms.dump.index-build.streams}, default the worker's cores) takes the
 * biggest job waiting, of any table. A build never holds one of the job's copies in flight: the next copy
 * starts while the last table's indexes are built beside it, and builds never take a core a copy runs on.
 * One table's N indexes are not built one after the other on one connection while the cores idle.
 */
@ApplicationScoped
public class IndexBuildStreams {

    private static final Logger LOG = Logger.getLogger(IndexBuildStreams.class);

    /**
     * Builds one job on a connection of its own; {@code parallelWorkers}: the cores free for PostgreSQL's parallel
     * build. Returns false for a job it left to post-data.
     */
    interface Builder {
        boolean build(IndexJob job, int parallelWorkers) throws Exception;
    }

    @ConfigProperty(name = "dms.dump.index-build.streams", defaultValue = "0")
    int configuredStreams;

    private final ExecutorService lent = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "index-build");
        t.setDaemon(true);
        return t;
    });
    private final PriorityQueue<Waiting> waiting = new PriorityQueue<>(
            Comparator.comparingLong((Waiting w) -> w.job.sourceBytes()).reversed());
    private int copying;
    private int building;

    private record Waiting(Batch batch, IndexJob job) {}

    /** One table's jobs: done when each has been built or given up on, with how many were built. */
    private static final class Batch {
        final Builder builder;
        final AtomicInteger left;
        final AtomicInteger built = new AtomicInteger();
        final CompletableFuture<Integer> done = new CompletableFuture<>();

        Batch(Builder builder, int jobs) {
            this.builder = builder;
            this.left = new AtomicInteger(jobs);
        }
    }

    int streams() {
        return configuredStreams > 0 ? configuredStreams : Runtime.getRuntime().availableProcessors();
    }

    /** Marks a copy running on one of the streams until the returned handle is closed. */
    public AutoCloseable copying() {
        synchronized (this) {
            copying++;
        }
        return () -> {
            synchronized (this) {
                copying--;
            }
            lendFreeStreams();
        };
    }

    /** Queues one table's jobs for the free streams; completes with how many were built once each has run. */
    CompletableFuture<Integer> submit(List<IndexJob> jobs, Builder builder) {
        Batch batch = new Batch(builder, jobs.size());
        if (jobs.isEmpty()) {
            batch.done.complete(0);
            return batch.done;
        }
        synchronized (this) {
            jobs.forEach(j -> waiting.add(new Waiting(batch, j)));
        }
        lendFreeStreams();
        return batch.done;
    }

    private void lendFreeStreams() {
        synchronized (this) {
            while (copying + building < streams()) {
                Waiting w = waiting.poll();
                if (w == null) {
                    return;
                }
                building++;
                lent.execute(() -> {
                    try {
                        build(w);
                    } finally {
                        synchronized (this) {
                            building--;
                        }
                        lendFreeStreams();
                    }
                });
            }
        }
    }

    private void build(Waiting w) {
        int parallel;
        synchronized (this) {
            // Cores nothing else uses may serve this build's parallel workers (the last big index of a dump).
            parallel = waiting.isEmpty() ? Math.max(0, streams() - copying - building) : 0;
        }
        try {
            if (w.batch.builder.build(w.job, parallel)) {
                w.batch.built.incrementAndGet();
            }
        } catch (Exception e) {
            LOG.debugf("index build job %s failed: %s", w.job.entry().rest(), e);
        } finally {
            if (w.batch.left.decrementAndGet() == 0) {
                w.batch.done.complete(w.batch.built.get());
            }
        }
    }
}
