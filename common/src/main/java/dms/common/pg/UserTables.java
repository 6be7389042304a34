package dms.common.pg;

import dms.common.pg.internal.InternalSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The tables of a database that are not the system's nor the migration's own ({@code dms_internal}). */
public final class UserTables {

    private UserTables() {}

    /** How many there are: a destination database with any is not empty (the dump would mix its copy with them). */
    public static long count(Connection db) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('r','p') AND n.nspname NOT IN ('pg_catalog','information_schema','" + InternalSchema.SCHEMA + "')"
                + " AND n.nspname NOT LIKE 'pg\\_toast%'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
