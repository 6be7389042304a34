package dms.common.pg;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done in one transaction of a connection. */
public final class Transactions {

    private Transactions() {}

    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one transaction of {@code conn}: committed when it returns, rolled back when it throws; the connection's auto-commit left as it was. */
    public static <T> T inOne(Connection conn, Work<T> work) throws SQLException {
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try {
            T result = work.run();
            conn.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(autoCommit);
        }
    }
}
