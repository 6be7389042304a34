package dms.dump.postdata;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This worker's streams shared by copies and index builds, as pgcopydb's --index-jobs: each index or
 * key constraint of a loaded table is its own job. The copy task whose table is loaded builds its
 * table's jobs on its own stream (it holds one of the job's copies in flight, so it may always), biggest
 * first; a stream no copy nor build uses ({@code dms.dump.index-build.streams}, default the worker's
 * cores) takes the biggest job waiting, of any table. So one table's N indexes are not built one after
 * the other on one connection while the cores idle (the tail that made early builds slower than leaving
 * them all to post-data's {@code pg_restore -j}), and builds never take a core a copy runs on.
 */
@ApplicationScoped
public class IndexBuildStreams {

    private static final Logger LOG = Logger.getLogger(IndexBuildStreams.class);

    /** Builds one job on a connection of its own; {@code parallelWorkers}: the cores free for PostgreSQL's parallel build. */
    interface Builder {
        void build(IndexJob job, int parallelWorkers) throws Exception;
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

    /** One table's jobs: done when each has been built or given up on. */
    private static final class Batch {
        final Builder builder;
        final CountDownLatch left;
        final AtomicInteger built = new AtomicInteger();

        Batch(Builder builder, int jobs) {
            this.builder = builder;
            this.left = new CountDownLatch(jobs);
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

    /** Builds one table's jobs and returns how many were built. */
    int buildAll(List<IndexJob> jobs, Builder builder) throws InterruptedException {
        Batch batch = new Batch(builder, jobs.size());
        synchronized (this) {
            jobs.forEach(j -> waiting.add(new Waiting(batch, j)));
            building++; // the caller's own stream, until its table has no job left to start
        }
        try {
            lendFreeStreams();
            for (Waiting own = takeOwn(batch); own != null; own = takeOwn(batch)) {
                build(own);
            }
        } finally {
            synchronized (this) {
                building--;
            }
            lendFreeStreams();
        }
        batch.left.await(); // the jobs lent streams took
        return batch.built.get();
    }

    private synchronized Waiting takeOwn(Batch batch) {
        List<Waiting> others = new ArrayList<>();
        Waiting own = null;
        while (!waiting.isEmpty()) {
            Waiting w = waiting.poll();
            if (w.batch == batch) {
                own = w;
                break;
            }
            others.add(w);
        }
        waiting.addAll(others);
        return own;
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
            w.batch.builder.build(w.job, parallel);
            w.batch.built.incrementAndGet();
        } catch (Exception e) {
            LOG.debugf("index build job %s failed: %s", w.job.entry().rest(), e);
        } finally {
            w.batch.left.countDown();
        }
    }
}
