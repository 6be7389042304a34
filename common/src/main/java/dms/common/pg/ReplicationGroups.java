package dms.common.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replication groups of a job database (docs/cdc.md, "Parallel CDC"): with the job's {@code cdcParallelism} N above 1
 * the dump-worker's prepare splits the database's tables into N groups, each with its own publication and slot. Group 0
 * keeps the job's names (so one group is exactly the job's single slot); group k is {@code <publication>_g<k>} and
 * {@code <slot>_g<k>}. The publications on the source are the record of the groups: the cdc-worker, verify and the
 * cleanups find them there, so no other service has to be told how many there are. (A job's base names end with eight
 * hex digits, or with {@code _pub}: no other job's names end in {@code _g<k>} after them.)
 */
public final class ReplicationGroups {

    /** One group: its index (0 keeps the job's own names), its slot and its publication. */
    public record Group(int index, String slotName, String publicationName) {}

    private ReplicationGroups() {}

    public static Group group(String slotName, String publicationName, int index) {
        return new Group(index, name(slotName, index), name(publicationName, index));
    }

    /** The first {@code n} groups' names. */
    public static List<Group> first(String slotName, String publicationName, int n) {
        List<Group> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.add(group(slotName, publicationName, k));
        }
        return out;
    }

    private static String name(String base, int index) {
        return index == 0 ? base : base + "_g" + index;
    }

    /**
     * The groups of a job database, as its publications on the source say: group 0 always (the job's own names, even
     * before its publication exists), then every {@code <publication>_g<k>}, in order.
     */
    public static List<Group> find(Connection source, String slotName, String publicationName) throws SQLException {
        List<Group> out = new ArrayList<>();
        out.add(group(slotName, publicationName, 0));
        for (int k : suffixes(source, "SELECT pubname FROM pg_publication WHERE substr(pubname, 1, ?) = ?", publicationName)) {
            out.add(group(slotName, publicationName, k));
        }
        return out;
    }

    /** The names of the slots of groups above 0 that exist on the source's database (group 0's is the job's own name). */
    static List<String> extraSlots(Connection source, String slotName) throws SQLException {
        return suffixes(source, "SELECT slot_name FROM pg_replication_slots WHERE database = current_database()"
                + " AND substr(slot_name, 1, ?) = ?", slotName).stream().map(k -> name(slotName, k)).toList();
    }

    /** The names of the publications of groups above 0 that exist on the source's database. */
    static List<String> extraPublications(Connection source, String publicationName) throws SQLException {
        return suffixes(source, "SELECT pubname FROM pg_publication WHERE substr(pubname, 1, ?) = ?", publicationName).stream()
                .map(k -> name(publicationName, k)).toList();
    }

    /** The k of every name {@code <base>_g<k>} (k from 1) the query returns, in order. */
    private static List<Integer> suffixes(Connection source, String sql, String base) throws SQLException {
        Pattern group = Pattern.compile(Pattern.quote(base) + "_g([1-9][0-9]{0,2})");
        TreeMap<Integer, String> found = new TreeMap<>();
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            ps.setInt(1, base.length());
            ps.setString(2, base);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Matcher m = group.matcher(rs.getString(1));
                    if (m.matches()) {
                        found.put(Integer.parseInt(m.group(1)), rs.getString(1));
                    }
                }
            }
        }
        return List.copyOf(found.keySet());
    }
}
