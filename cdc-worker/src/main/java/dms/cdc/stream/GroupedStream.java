package dms.cdc.stream;

import dms.cdc.newtables.NewTables;
import dms.cdc.promote.DrainResult;
import dms.common.pg.PgConnector;
import dms.common.pg.internal.AppliedPosition;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The CDC of one job database: one {@link CdcStream} per replication group (the job's cdcParallelism, docs/cdc.md),
 * each on its own slot, publication, threads and applied position, run and stopped together. With one group it is that
 * group's stream. The database counts as far as its slowest group: its position is the lowest applied one, a drain
 * ends when every group applied the one marker, and one group that fails fails the database (the others stop, and all
 * start again together, each from its own position).
 */
public final class GroupedStream {

    private final List<CdcStream> streams;
    private final PgConnector connections;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();

    private GroupedStream(List<CdcStream> streams, PgConnector connections) {
        this.streams = List.copyOf(streams);
        this.connections = connections;
        // The first group to end ends the database's stream: one that failed fails it; one that stopped on its own (its
        // drain marker applied) leaves the database short of a group, so a RUN afterwards starts every group again.
        for (CdcStream s : this.streams) {
            s.completion().whenComplete((v, e) -> {
                if (e != null) {
                    completion.completeExceptionally(e);
                } else {
                    completion.complete(null);
                }
            });
        }
    }

    /** Starts every group's stream; if one cannot start, those started are stopped and the failure thrown. */
    public static GroupedStream start(List<CdcStreamSpec> specs, PgConnector connections, NewTables.Options newTables)
            throws SQLException {
        CdcStreamSpec first = specs.get(0);
        return start(specs, connections, newTables, SessionPair.open(connections, first.source(), first.destination(), first.database()));
    }

    /**
     * As {@link #start(List, PgConnector, NewTables.Options)}, on sessions the caller opened (a resume waits for every
     * session it opens): the first group's applier takes {@code sessions}' destination one, and every group's start
     * reads from its source one. Both are the stream's to close from here, whatever happens.
     */
    public static GroupedStream start(List<CdcStreamSpec> specs, PgConnector connections, NewTables.Options newTables,
                                      SessionPair sessions) throws SQLException {
        List<CdcStream> started = new ArrayList<>();
        Connection destination = sessions.destination();
        try (Connection source = sessions.source()) {
            for (CdcStreamSpec spec : specs) {
                if (destination == null) {
                    destination = connections.open(spec.destination(), spec.database());
                }
                Connection applierSession = destination;
                destination = null; // the stream's now, closed by it if its start fails
                started.add(CdcStream.start(spec, connections, newTables, source, applierSession));
            }
            if (destination != null) {
                destination.close(); // no group took it
            }
        } catch (SQLException | RuntimeException e) {
            if (destination != null) {
                destination.close();
            }
            started.forEach(CdcStream::stop);
            throw e;
        }
        return new GroupedStream(started, connections);
    }

    /** The streams, in group order. */
    public List<CdcStream> streams() {
        return streams;
    }

    /** Completes when a group's stream has ended (all of them, once stopped): exceptionally if it failed. */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    /**
     * The database's applied position: the lowest group's (every group has applied at least up to it), with the counts
     * of all of them.
     */
    public AppliedPosition position() {
        List<AppliedPosition> all = streams.stream().map(CdcStream::position).toList();
        AppliedPosition lowest = all.stream().min(Comparator.comparing(AppliedPosition::commitLsn)).orElseThrow();
        if (all.size() == 1) {
            return lowest;
        }
        return new AppliedPosition(lowest.commitLsn(), lowest.sourceCommitTime(), lowest.appliedAt(),
                all.stream().mapToLong(AppliedPosition::transactions).sum(), all.stream().mapToLong(AppliedPosition::changes).sum(),
                all.stream().mapToLong(AppliedPosition::unmatched).sum());
    }

    /** The counts of every group's stream since they started, summed. */
    public CdcStream.Stats stats() {
        return streams.stream().map(CdcStream::stats).reduce(CdcStream.Stats::plus).orElseThrow();
    }

    /** Applies, in every group, everything the source committed up to its current position, then stops (one marker). */
    public CompletableFuture<DrainResult> drain() throws SQLException {
        return CdcStream.drain(streams, connections);
    }

    /** The pending drain ran out of time in each group that has not finished it ({@link CdcStream#giveUpDrain}). */
    public boolean giveUpDrain(Duration timeout) {
        boolean any = false;
        for (CdcStream s : streams) {
            any |= s.giveUpDrain(timeout);
        }
        return any;
    }

    /** Stops every group's stream. */
    public void stop() {
        streams.forEach(CdcStream::stop);
    }
}
