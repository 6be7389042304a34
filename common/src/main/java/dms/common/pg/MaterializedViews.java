package dms.common.pg;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills the destination's materialized views (docs/data-path.md, rule 6). The schema dump creates them
 * empty (their rows are data, and no COPY or logical decoding carries them): they are refreshed once the
 * tables are copied and indexed, and again at promote, since CDC changed their inputs. In dependency
 * order: one that reads another (directly or through views) comes after it. A view left {@code WITH NO
 * DATA} on the source stays unpopulated.
 */
public final class MaterializedViews {

    /** What a refresh did: the views filled, and those that could not be (they read a view left empty). */
    public record Refreshed(int filled, List<String> leftEmpty) {}

    /** Every materialized view (not an extension's), whether it holds rows. */
    private static final String VIEWS = """
            SELECT format('%I.%I', n.nspname, c.relname), c.relispopulated
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'm'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d
                              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            ORDER BY 1""";

    /** Materialized view -> a materialized view its query reads, following plain views in between. */
    private static final String READS = """
            WITH RECURSIVE reads(mv, rel) AS (
                SELECT rw.ev_class, d.refobjid
                FROM pg_rewrite rw
                JOIN pg_class m ON m.oid = rw.ev_class AND m.relkind = 'm'
                JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                                AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> rw.ev_class
              UNION
                SELECT reads.mv, d.refobjid
                FROM reads
                JOIN pg_class v ON v.oid = reads.rel AND v.relkind = 'v'
                JOIN pg_rewrite rw ON rw.ev_class = v.oid
                JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                                AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> v.oid
            )
            SELECT DISTINCT format('%I.%I', mn.nspname, m.relname), format('%I.%I', rn.nspname, r.relname)
            FROM reads
            JOIN pg_class m ON m.oid = reads.mv JOIN pg_namespace mn ON mn.oid = m.relnamespace
            JOIN pg_class r ON r.oid = reads.rel AND r.relkind = 'm' AND r.oid <> m.oid
            JOIN pg_namespace rn ON rn.oid = r.relnamespace""";

    private MaterializedViews() {}

    /** The materialized views that hold rows where {@code conn} is connected, by quoted qualified name. */
    public static Set<String> populated(Connection conn) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        views(conn).forEach((name, populated) -> {
            if (populated) {
                out.add(name);
            }
        });
        return out;
    }

    /**
     * Refreshes on {@code destination}, in dependency order, the views named in {@code toFill}; one that
     * reads a view left empty cannot be filled (PostgreSQL refuses) and stays empty.
     */
    public static Refreshed refresh(Connection destination, Set<String> toFill) throws SQLException {
        Map<String, Boolean> views = views(destination);
        Map<String, Set<String>> reads = new HashMap<>();
        try (Statement st = destination.createStatement(); ResultSet rs = st.executeQuery(READS)) {
            while (rs.next()) {
                reads.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
            }
        }
        Set<String> filled = new HashSet<>();
        List<String> leftEmpty = new ArrayList<>();
        for (String view : dependencyOrder(views.keySet(), reads)) {
            if (!toFill.contains(view)) {
                continue;
            }
            List<String> empty = reads.getOrDefault(view, Set.of()).stream().filter(r -> !filled.contains(r)).sorted().toList();
            if (!empty.isEmpty()) {
                leftEmpty.add(view + " (reads " + String.join(", ", empty) + ")");
                continue;
            }
            try (Statement st = destination.createStatement()) {
                // The name is format('%I.%I') of the server's catalog: quoted identifiers.
                st.execute("REFRESH MATERIALIZED VIEW " + view);
            }
            filled.add(view);
        }
        return new Refreshed(filled.size(), List.copyOf(leftEmpty));
    }

    /** Each view after every view it reads (depth first; the catalog has no cycles). */
    static List<String> dependencyOrder(Set<String> views, Map<String, Set<String>> reads) {
        List<String> order = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (String view : views) {
            place(view, reads, placed, order);
        }
        return order;
    }

    private static void place(String view, Map<String, Set<String>> reads, Set<String> placed, List<String> order) {
        if (!placed.add(view)) {
            return;
        }
        for (String input : reads.getOrDefault(view, Set.of()).stream().sorted().toList()) {
            place(input, reads, placed, order);
        }
        order.add(view);
    }

    private static Map<String, Boolean> views(Connection conn) throws SQLException {
        Map<String, Boolean> out = new LinkedHashMap<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(VIEWS)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getBoolean(2));
            }
        }
        return out;
    }
}
