package dms.orchestrator.commands;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Retries a unit of work when the control database is unreachable, with backoff and without
 * limit: a command is never dropped because the database went away, the consumer just waits.
 * A {@link CommandRejected} is a verdict, not a failure, and passes straight through.
 */
@ApplicationScoped
public class Retry {

    private static final Logger LOG = Logger.getLogger(Retry.class);
    private static final int MAX_OTHER_FAILURES = 5;

    public void run(String what, Runnable work) {
        run(what, () -> {
            work.run();
            return null;
        });
    }

    public <T> T run(String what, Supplier<T> work) {
        long backoffMs = 200;
        int otherFailures = 0;
        while (true) {
            try {
                return work.get();
            } catch (CommandRejected verdict) {
                throw verdict;
            } catch (RuntimeException e) {
                boolean unreachable = isConnectionProblem(e);
                if (!unreachable && ++otherFailures >= MAX_OTHER_FAILURES) {
                    throw e;
                }
                LOG.warnf("%s failed (%s), retrying in %d ms", what, rootMessage(e), backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }

    static boolean isConnectionProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (t instanceof java.net.ConnectException) {
                return true;
            }
            String message = String.valueOf(t.getMessage());
            if (message.contains("Acquisition timeout") || message.contains("Unable to acquire JDBC Connection")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
