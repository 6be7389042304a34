package dms.common.pg;

import dms.common.sql.SqlIdentifiers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Large objects (pg_largeobject): logical decoding does not carry them, so the migration copies them
 * itself (docs/data-path.md, Large objects): with the dump, from the source at its snapshot, and again
 * at promote, after the drain. A sync makes the destination's large objects those of the source, by oid:
 * content, owner, privileges and comment; it rewrites only those that differ and removes those the source
 * no longer has, so it is idempotent and cheap when little changed. Content is read and written in
 * chunks of {@link #CHUNK_BYTES}; each object's fingerprint is an md5 the server computes over its whole
 * content (an object of up to 1 GB, as {@code lo_get} allows).
 */
public final class LargeObjects {

    /** Bytes read from the source and written to the destination per round trip. */
    static final int CHUNK_BYTES = 1 << 20;

    /** What a sync did. {@code ownersKept}: objects left to the migration user (their owner is missing on the destination, or it may not act as them). */
    public record Synced(int copied, int removed, int unchanged, long bytes, int ownersKept) {
        public int total() {
            return copied + unchanged;
        }
    }

    /** What tells one large object from another of the same oid: content, owner, privileges, comment. */
    record Fingerprint(String md5, String owner, String acl, String comment) {}

    private static final String FINGERPRINTS = """
            SELECT m.oid, md5(lo_get(m.oid)), pg_get_userbyid(m.lomowner), m.lomacl::text, obj_description(m.oid, 'pg_largeobject')
            FROM pg_largeobject_metadata m ORDER BY m.oid""";

    private LargeObjects() {}

    /** The database's large objects by oid. Reading one needs SELECT on it (or ownership, or lo_compat_privileges). */
    static Map<Long, Fingerprint> fingerprints(Connection conn) throws SQLException {
        Map<Long, Fingerprint> out = new LinkedHashMap<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(FINGERPRINTS)) {
            while (rs.next()) {
                out.put(rs.getLong(1), new Fingerprint(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        }
        return out;
    }

    /**
     * Makes the destination's large objects the source's, in one destination transaction.
     *
     * @param source      read as it is, or at the snapshot its transaction imported
     * @param withOwners  whether owners and privileges follow the source (the job's roles setting: not when SKIP)
     */
    public static Synced sync(Connection source, Connection destination, boolean withOwners) throws SQLException {
        Map<Long, Fingerprint> wanted = fingerprints(source);
        Map<Long, Fingerprint> present = fingerprints(destination);
        if (wanted.isEmpty() && present.isEmpty()) {
            return new Synced(0, 0, 0, 0, 0);
        }
        return Transactions.inOne(destination, () -> {
            int removed = 0;
            for (Long oid : present.keySet()) {
                if (!wanted.containsKey(oid)) {
                    unlink(destination, oid);
                    removed++;
                }
            }
            int copied = 0;
            int unchanged = 0;
            int ownersKept = 0;
            long bytes = 0;
            for (Map.Entry<Long, Fingerprint> e : wanted.entrySet()) {
                Fingerprint want = e.getValue();
                Fingerprint have = present.get(e.getKey());
                boolean sameContent = have != null && have.md5().equals(want.md5()) && Objects.equals(have.comment(), want.comment());
                if (sameContent) {
                    unchanged++;
                } else {
                    if (have != null) {
                        unlink(destination, e.getKey());
                    }
                    bytes += copy(source, destination, e.getKey());
                    comment(destination, e.getKey(), want.comment());
                    copied++;
                }
                boolean sameOwner = sameContent && have.owner().equals(want.owner()) && Objects.equals(have.acl(), want.acl());
                if (withOwners && !sameOwner && !giveToOwner(destination, e.getKey(), want.owner(), acl(source, e.getKey()))) {
                    ownersKept++;
                }
            }
            return new Synced(copied, removed, unchanged, bytes, ownersKept);
        });
    }

    /**
     * One value for all of a database's large objects (their count, and a digest over oids, contents and
     * comments), for verify to compare the two sides. Owners and privileges are not data (verify compares none of
     * a table's either), and an owner the migration user may not act as stays with it on the destination.
     */
    public static Summary summary(Connection conn) throws SQLException {
        StringBuilder text = new StringBuilder();
        Map<Long, Fingerprint> all = fingerprints(conn);
        all.forEach((oid, f) -> text.append(oid).append(':').append(f.md5()).append(':').append(f.comment())
                .append('\n'));
        try {
            byte[] hash = MessageDigest.getInstance("MD5").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return new Summary(all.size(), HexFormat.of().formatHex(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #summary}'s value: how many large objects, and a digest that differs when any of them differs. */
    public record Summary(int count, String digest) {}

    private static long copy(Connection source, Connection destination, long oid) throws SQLException {
        try (PreparedStatement create = destination.prepareStatement("SELECT lo_create(?)")) {
            create.setLong(1, oid);
            create.execute();
        }
        long offset = 0;
        try (PreparedStatement read = source.prepareStatement("SELECT lo_get(?, ?, ?)");
             PreparedStatement write = destination.prepareStatement("SELECT lo_put(?, ?, ?)")) {
            while (true) {
                read.setLong(1, oid);
                read.setLong(2, offset);
                read.setInt(3, CHUNK_BYTES);
                byte[] chunk;
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    chunk = rs.getBytes(1);
                }
                if (chunk == null || chunk.length == 0) {
                    return offset;
                }
                write.setLong(1, oid);
                write.setLong(2, offset);
                write.setBytes(3, chunk);
                write.execute();
                offset += chunk.length;
                if (chunk.length < CHUNK_BYTES) {
                    return offset;
                }
            }
        }
    }

    private static void unlink(Connection destination, long oid) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("SELECT lo_unlink(?)")) {
            ps.setLong(1, oid);
            ps.execute();
        }
    }

    private static void comment(Connection destination, long oid, String comment) throws SQLException {
        if (comment == null) {
            return;
        }
        // The server quotes the comment (%L), whatever its settings.
        String sql;
        try (PreparedStatement ps = destination.prepareStatement("SELECT format('COMMENT ON LARGE OBJECT %s IS %L', ?::oid, ?::text)")) {
            ps.setLong(1, oid);
            ps.setString(2, comment);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                sql = rs.getString(1);
            }
        }
        try (Statement st = destination.createStatement()) {
            st.execute(sql);
        }
    }

    /** A grant of the source's privileges: grantee (null: PUBLIC) and privilege, as {@code aclexplode} lists them. */
    private record Grant(String grantee, String privilege) {}

    private static List<Grant> acl(Connection source, long oid) throws SQLException {
        List<Grant> out = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement("""
                SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END, a.privilege_type
                FROM pg_largeobject_metadata m, aclexplode(m.lomacl) a
                WHERE m.oid = ? AND a.grantee <> m.lomowner""")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Grant(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    /**
     * The source's owner and grants, each under a savepoint: an owner the destination lacks, or that the
     * migration user may not act as, leaves the object to the migration user (counted); a grantee it lacks
     * is left out. Returns whether the owner was set.
     */
    private static boolean giveToOwner(Connection destination, long oid, String owner, List<Grant> grants) throws SQLException {
        for (Grant g : grants) {
            tryStatement(destination, "GRANT " + g.privilege() + " ON LARGE OBJECT " + oid + " TO "
                    + (g.grantee() == null ? "PUBLIC" : SqlIdentifiers.quote(g.grantee())));
        }
        return tryStatement(destination, "ALTER LARGE OBJECT " + oid + " OWNER TO " + SqlIdentifiers.quote(owner));
    }

    private static boolean tryStatement(Connection destination, String sql) throws SQLException {
        java.sql.Savepoint before = destination.setSavepoint();
        try (Statement st = destination.createStatement()) {
            st.execute(sql);
            destination.releaseSavepoint(before);
            return true;
        } catch (SQLException e) {
            destination.rollback(before);
            return false;
        }
    }
}
