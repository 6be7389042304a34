package dms.cdc.apply;

import dms.cdc.testing.TestClusters;
import dms.devstack.CommonTypes;
import dms.devstack.PgCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Rows read as the apply gets them (each value its type's text output, as pgoutput sends it) and compared whole. */
final class TextRows {

    private TextRows() {}

    /**
     * A server with database {@code db} holding the common-types table filled ({@code public.types}), the statements
     * {@code more} run on it, and an empty twin {@code copied.types} for the rows written back.
     */
    static TestClusters typesServer(String name, String db, String... more) {
        TestClusters clusters = TestClusters.start(name);
        PgCluster server = clusters.cluster(0);
        server.createDatabase(db);
        server.execute(db, CommonTypes.SCHEMA);
        CommonTypes.changes().forEach(sql -> server.execute(db, sql));
        for (String sql : more) {
            server.execute(db, sql);
        }
        server.execute(db, "CREATE SCHEMA copied; CREATE TABLE copied.types (LIKE public.types INCLUDING ALL)");
        return clusters;
    }

    /** Every row of public.types, each column as its text output (null for NULL), in id order. */
    static List<List<String>> ofTypes(Connection c, List<String> columns) throws Exception {
        String select = String.join(", ", columns.stream().map(col -> "\"" + col + "\"::text").toList());
        List<List<String>> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + select + " FROM public.types ORDER BY id")) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** A table's rows as one text, in id order. */
    static String whole(Connection c, String table) throws Exception {
        return query(c, "SELECT string_agg(t::text, E'\\n' ORDER BY id) FROM " + table + " t");
    }

    static String query(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
