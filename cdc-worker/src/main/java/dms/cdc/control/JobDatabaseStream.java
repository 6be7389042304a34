package dms.cdc.control;

import dms.cdc.stream.GroupedStream;
import dms.cdc.promote.DrainDeadline;
import dms.cdc.promote.DrainOverdue;
import dms.cdc.promote.Promotion;
import dms.common.messages.CdcControl;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One job database's CDC stream on this instance (one Debezium stream per replication group: {@link GroupedStream}),
 * brought to the desired state of its
 * dms.cdc-control key: RUN (stream and apply), STOP (halt, slot kept), DRAIN (apply up to the
 * source's position, then finish the promote), WATCH (no stream: the database is dumped; only
 * its slot is watched). Everything happens on the stream's own thread, in the order the desired
 * states arrived. A stream that fails for a passing reason (a server unreachable) starts again
 * with backoff; one that cannot go on (DDL on the source, its slot lost) fails its database, once
 * per run.
 */
public final class JobDatabaseStream {

    private static final Logger LOG = Logger.getLogger(JobDatabaseStream.class);
    private static final long MAX_BACKOFF_SECONDS = 60;
    /**
     * A stream that ran this long before it failed had recovered: the failures counted against
     * dms.cdc.max-retries (and the backoff) start again from the first, so that a job whose source
     * restarts now and then does not fail on the 20th restart of its life.
     */
    private static final long HEALTHY_NANOS = TimeUnit.SECONDS.toNanos(MAX_BACKOFF_SECONDS);

    private final String key;
    private final int partition;
    private final StreamActions actions;
    private final StreamReports reports;
    private final Promotion promotion;
    private final ScheduledExecutorService thread;
    private CdcControl desired;
    private volatile GroupedStream stream;
    /** What the running stream was started with: its run and its servers. */
    private CdcControl streamControl;
    private long streamStartedNanos;
    private int failuresInARow;
    private ScheduledFuture<?> retry;
    private boolean draining;
    /** The run epoch this database's failure was reported in: a failure is reported once per run. */
    private long failedEpoch = -1;
    /** Fires at the promote's deadline (armed once per DRAIN control). */
    private ScheduledFuture<?> drainTimer;
    private DrainDeadline drainDeadline;
    /** The drain of this DRAIN control ended (PROMOTED or FAILED reported): no other until a new control. */
    private boolean drainEnded;
    /** Why the stream last failed to start or stopped, for a promote that gives up before it streams. */
    private Throwable lastFailure;

    JobDatabaseStream(String key, int partition, StreamActions actions, StreamReports reports, Promotion promotion) {
        this.key = key;
        this.partition = partition;
        this.actions = actions;
        this.reports = reports;
        this.promotion = promotion;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dms-cdc-control-" + key);
            t.setDaemon(true);
            return t;
        });
    }

    int partition() {
        return partition;
    }

    public String key() {
        return key;
    }

    /** The stream running now, or null. */
    public GroupedStream stream() {
        return stream;
    }

    /** The desired state now (null once halted). */
    public CdcControl desired() {
        return desired;
    }

    void want(CdcControl control) {
        thread.execute(() -> {
            if (!control.equals(desired)) {
                // A new desired state (a record read again is the same one: its deadline and verdict stand).
                disarmDrainDeadline();
                LOG.infof("CDC %s: %s wanted (run %d)", key, control.desired(), control.runEpoch());
            }
            desired = control;
            failuresInARow = 0;
            converge();
        });
    }

    /**
     * The slot of {@code seen}'s run was found invalidated on the source: the database fails now, whatever
     * it was doing (streaming, waiting to start again, stopped, dumped), instead of retrying what cannot work.
     */
    public void slotInvalidated(CdcControl seen, String message) {
        thread.execute(() -> {
            if (desired == null || desired.runEpoch() != seen.runEpoch() || failedEpoch == desired.runEpoch()) {
                return; // moved on meanwhile (a restart makes a new slot), or already reported
            }
            stopStream();
            LOG.errorf("CDC %s: %s", key, message);
            failedEpoch = desired.runEpoch();
            reports.failed(desired, message);
        });
    }

    /** Halts the stream here without a report (the job is gone, or another instance takes over). */
    void halt() {
        thread.execute(() -> {
            desired = null;
            disarmDrainDeadline();
            stopStream();
        });
        thread.shutdown();
    }

    private void converge() {
        cancelRetry();
        if (desired == null) {
            return;
        }
        switch (desired.desired()) {
            case RUN -> ensureRunning();
            case STOP -> {
                stopStream();
                reports.stopped(desired);
            }
            case DRAIN -> {
                if (drainEnded) {
                    return; // PROMOTED or FAILED was reported: the orchestrator says what comes next
                }
                if (armDrainDeadline() && ensureRunning()) {
                    drain();
                }
            }
            case WATCH -> stopStream();
        }
    }

    /**
     * Starts the stream unless one of this run, connected as the desired state says, is streaming
     * (an edited profile reconnects it); false if it could not start (a retry is scheduled).
     */
    private boolean ensureRunning() {
        GroupedStream current = stream;
        if (current != null && !current.completion().isDone() && streamControl.runEpoch() == desired.runEpoch()) {
            if (sameServers(streamControl, desired)) {
                return true;
            }
            LOG.infof("CDC %s: a connection profile was edited; reconnecting with it", key);
        }
        stopStream();
        try {
            GroupedStream started = actions.start(desired);
            stream = started;
            streamControl = desired;
            streamStartedNanos = System.nanoTime();
            started.completion().whenComplete((v, e) -> {
                if (e != null) {
                    thread.execute(() -> streamFailed(started, e));
                }
            });
            lastFailure = null;
            reports.resumed(desired);
            return true;
        } catch (Exception e) {
            failed(e);
            return false;
        }
    }

    /**
     * The same profiles apart from how their secrets are sealed (a key rotation re-encrypts them
     * without a change that needs a new connection): an edit always sets a new {@code updateTime}.
     */
    static boolean sameServers(CdcControl a, CdcControl b) {
        return a.source().withoutSecrets().equals(b.source().withoutSecrets())
                && a.destination().withoutSecrets().equals(b.destination().withoutSecrets());
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        CdcControl drainOf = desired;
        promotion.promote(stream, drainOf).whenComplete((v, e) -> thread.execute(() -> {
            draining = false;
            if (e == null) {
                stream = null;
            }
            if (drainOf.equals(desired)) {
                // Promoted, or FAILED reported: either way the deadline has nothing left to say.
                drainEnded = true;
                cancelDrainTimer();
            }
        }));
    }

    /**
     * The promote's deadline (dms.promote.drain-timeout) counts from the orchestrator's decision and
     * covers everything: starting the stream (with its retries), writing the marker, applying up to it.
     */
    private boolean armDrainDeadline() {
        if (drainTimer != null) {
            return true;
        }
        drainDeadline = promotion.deadline(desired);
        Duration left = drainDeadline.remaining(Instant.now());
        if (left.isZero()) {
            // Past already: a stale DRAIN read again (a restart, a rebalance), or one taken over too late. Starting a
            // drain now could promote a job that has moved on; the orchestrator fails a promote still waiting.
            LOG.warnf("CDC %s: DRAIN past its deadline %s, not started", key, drainDeadline.at());
            drainEnded = true;
            return false;
        }
        drainTimer = thread.schedule(this::drainOverdue, left.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    private void drainOverdue() {
        if (desired == null || desired.desired() != CdcControl.Desired.DRAIN || drainEnded) {
            return;
        }
        GroupedStream current = stream;
        if (draining) {
            // The marker is written: fail the drain's future with what was applied (drain() reports it). If the
            // drain finished just now instead, its promote goes on.
            if (current != null) {
                current.giveUpDrain(drainDeadline.timeout());
            }
            return;
        }
        drainEnded = true;
        cancelRetry();
        promotion.overdue(desired, DrainOverdue.notStreaming(drainDeadline.timeout(), lastFailure));
    }

    private void disarmDrainDeadline() {
        cancelDrainTimer();
        drainDeadline = null;
        drainEnded = false;
    }

    private void cancelDrainTimer() {
        if (drainTimer != null) {
            drainTimer.cancel(false);
            drainTimer = null;
        }
    }

    private void streamFailed(GroupedStream failedStream, Throwable e) {
        if (failedStream != stream || desired == null) {
            return; // an old stream, or halted meanwhile
        }
        stream = null;
        failedStream.stop(); // the other replication groups' streams of the database: all start again together
        if (System.nanoTime() - streamStartedNanos >= HEALTHY_NANOS) {
            failuresInARow = 0;
        }
        failed(e);
    }

    private void failed(Throwable e) {
        lastFailure = e;
        if (StreamActions.isPermanent(e) || failuresInARow >= actions.maxRetries()) {
            LOG.errorf("CDC %s failed: %s", key, StreamActions.describe(e));
            if (failedEpoch != desired.runEpoch()) {
                failedEpoch = desired.runEpoch();
                reports.failed(desired, e, failuresInARow);
            }
            return;
        }
        failuresInARow++;
        long seconds = Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(failuresInARow, 6));
        LOG.warnf("CDC %s: %s; starting again in %d s (attempt %d)", key, StreamActions.describe(e), seconds, failuresInARow);
        reports.trouble(desired, e);
        retry = thread.schedule(this::converge, seconds, TimeUnit.SECONDS);
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void stopStream() {
        cancelRetry();
        GroupedStream current = stream;
        stream = null;
        if (current != null) {
            current.stop();
        }
    }
}
