package dms.cdc.stream;

import dms.common.messages.ConnectionProfile;
import dms.common.pg.PgConnector;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A session on the source and one on the destination, opened side by side. Opening a session costs its server a
 * backend start and an authentication (25-80 ms on a busy host), and a stream's start (a {@code :resume}) waits for
 * its sessions: side by side, it waits for one.
 */
public record SessionPair(Connection source, Connection destination) implements AutoCloseable {

    /** Which server a session could not be opened on (the driver's message does not say). */
    public static final class OpenFailed extends SQLException {
        private final boolean source;

        OpenFailed(boolean source, SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
            this.source = source;
        }

        public boolean onSource() {
            return source;
        }
    }

    private static final ExecutorService OPENER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dms-cdc-session-open");
        t.setDaemon(true);
        return t;
    });

    public static SessionPair open(PgConnector connector, ConnectionProfile source, ConnectionProfile destination,
                                   String database) throws SQLException {
        CompletableFuture<Connection> sourceSession = CompletableFuture.supplyAsync(() -> {
            try {
                return connector.open(source, database);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, OPENER);
        Connection destinationSession;
        try {
            destinationSession = connector.open(destination, database);
        } catch (SQLException e) {
            sourceSession.thenAccept(KeptSession::closeQuietly);
            throw new OpenFailed(false, e);
        }
        try {
            return new SessionPair(sourceSession.get(), destinationSession);
        } catch (ExecutionException | InterruptedException e) {
            KeptSession.closeQuietly(destinationSession);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                sourceSession.thenAccept(KeptSession::closeQuietly);
            }
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw new OpenFailed(true, sql);
            }
            throw new OpenFailed(true, new SQLException("opening the source session: " + e, e));
        }
    }

    /** Closes both, on a path that already has an error to report. */
    public void closeQuietly() {
        KeptSession.closeQuietly(source);
        KeptSession.closeQuietly(destination);
    }

    @Override
    public void close() throws SQLException {
        try (Connection s = source; Connection d = destination) {
            // both closed, the source's failure first
        }
    }
}
