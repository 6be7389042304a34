package dms.dump.snapshot;

import dms.common.messages.ConnectionProfile;
import dms.common.sql.Lsn;
import dms.common.sql.SqlIdentifiers;
import dms.dump.catalog.TableInfo;
import dms.common.pg.PgConnector;
import dms.common.pg.ReplicationGroups;
import dms.common.pg.WalMarker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.replication.ReplicationSlotInfo;

/**
 * The start of a job database's migration (docs/data-path.md, rule 1): its publication, then
 * its logical slot (pgoutput), whose exported snapshot every schema dump and table copy reads
 * and whose consistent LSN is where CDC starts. In that order: a publication created after the
 * slot would make the stream miss the changes in between.
 *
 * <p>The snapshot lives as long as the replication session that created it stays open and
 * idle, so this object holds that session until {@link #close()}; transactions that imported
 * the snapshot by then keep it. Closing leaves the slot in place.
 */
public final class SlotSnapshot implements AutoCloseable {

    /** Slot names allow only these; the replication command takes the name unquoted. */
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");

    private final Connection replication;
    private final String slotName;
    private final String publicationName;
    private final String snapshotName;
    private final Lsn consistentLsn;
    private final List<TableInfo> publishedTables;

    private SlotSnapshot(Connection replication, String slotName, String publicationName, String snapshotName,
                         Lsn consistentLsn, List<TableInfo> publishedTables) {
        this.replication = replication;
        this.slotName = slotName;
        this.publicationName = publicationName;
        this.snapshotName = snapshotName;
        this.consistentLsn = consistentLsn;
        this.publishedTables = publishedTables;
    }

    /**
     * Creates (or redefines) the publication over the publishable tables among {@code tablesToPublish}
     * (those with a replica identity, not unlogged: see {@link TableInfo#publishable()}), then the slot.
     *
     * @throws SlotAlreadyExistsException if the slot exists; the publication is then left untouched
     */
    public static SlotSnapshot create(PgConnector connector, ConnectionProfile profile, String database,
                                      String publicationName, String slotName, List<TableInfo> tablesToPublish)
            throws SQLException {
        return create(connector, profile, database, publicationName, slotName, tablesToPublish, 1);
    }

    /**
     * As above, with the publishable tables split into at most {@code groups} replication groups ({@link TableGroups},
     * named by {@link ReplicationGroups}), each a publication and a slot. All the publications first, then the other
     * groups' slots, without a snapshot, then group 0's slot, whose exported snapshot every copy reads: every other slot
     * starts at or before that snapshot's consistent LSN, so none misses a change after it, and the changes it sends from
     * before it (already in the copies) are skipped by the copies' sync LSN (docs/data-path.md, rule 3), which is that LSN.
     */
    public static SlotSnapshot create(PgConnector connector, ConnectionProfile profile, String database,
                                      String publicationName, String slotName, List<TableInfo> tablesToPublish, int groups)
            throws SQLException {
        requireSlotName(slotName);
        List<TableInfo> published = tablesToPublish.stream().filter(TableInfo::publishable).toList();
        List<List<TableInfo>> split = TableGroups.split(published, groups, TableInfo::sizeBytes);
        List<ReplicationGroups.Group> names = ReplicationGroups.first(slotName, publicationName, split.size());
        try (Connection conn = connector.open(profile, database)) {
            for (ReplicationGroups.Group g : names) {
                requireSlotName(g.slotName());
                if (slotExists(conn, g.slotName())) {
                    throw new SlotAlreadyExistsException(g.slotName(), database);
                }
            }
            definePublications(conn, names, slotName, split);
            for (ReplicationGroups.Group g : names.subList(1, names.size())) {
                // Waits for the transactions running now to end, as the exporting slot below does.
                try (PreparedStatement ps = conn.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
                    ps.setString(1, g.slotName());
                    ps.executeQuery().close();
                }
            }
        }
        return export(connector, profile, database, slotName, publicationName, published, false);
    }

    /**
     * A new exported snapshot and its consistent LSN from a temporary slot (the resumable path of
     * docs/data-path.md, rule 2, as PostgreSQL's own table sync does): the slot goes with the session, so
     * closing this (or the worker dying) leaves nothing on the source.
     */
    public static SlotSnapshot temporary(PgConnector connector, ConnectionProfile profile, String database, String slotName)
            throws SQLException {
        requireSlotName(slotName);
        return export(connector, profile, database, slotName, null, List.of(), true);
    }

    private static SlotSnapshot export(PgConnector connector, ConnectionProfile profile, String database, String slotName,
                                       String publicationName, List<TableInfo> published, boolean temporary)
            throws SQLException {
        Connection replication = connector.openReplication(profile, database);
        try {
            try (Statement st = replication.createStatement()) {
                // The exported snapshot keeps a transaction open on this otherwise idle session:
                // a server-side idle timeout would kill it, and with it every copy still to start.
                st.execute("SET idle_in_transaction_session_timeout = 0");
                st.execute("SET statement_timeout = 0");
                if (replication.getMetaData().getDatabaseMajorVersion() >= 14) {
                    st.execute("SET idle_session_timeout = 0");
                }
            }
            ReplicationSlotInfo info;
            try {
                var builder = replication.unwrap(PGConnection.class).getReplicationAPI()
                        .createReplicationSlot().logical()
                        .withSlotName(slotName)
                        .withOutputPlugin("pgoutput");
                if (temporary) {
                    builder = builder.withTemporaryOption();
                }
                // Waits for the transactions running now to end: that is how the slot finds its consistent point.
                info = builder.make();
            } catch (SQLException e) {
                if ("42710".equals(e.getSQLState())) {
                    throw new SlotAlreadyExistsException(slotName, database);
                }
                throw e;
            }
            if (info.getSnapshotName() == null) {
                throw new SQLException("the source exported no snapshot with slot " + slotName);
            }
            return new SlotSnapshot(replication, slotName, publicationName, info.getSnapshotName(),
                    Lsn.parse(info.getConsistentPoint().asString()), published);
        } catch (SQLException | RuntimeException e) {
            replication.close();
            throw e;
        }
    }

    public String snapshotName() {
        return snapshotName;
    }

    public Lsn consistentLsn() {
        return consistentLsn;
    }

    public String slotName() {
        return slotName;
    }

    public String publicationName() {
        return publicationName;
    }

    /** The tables in the publication; the others of the list given to create() are copied once and reported. */
    public List<TableInfo> publishedTables() {
        return publishedTables;
    }

    /** Releases the exported snapshot (new imports fail from now on); the slot stays. */
    @Override
    public void close() throws SQLException {
        replication.close();
    }

    /**
     * Each group's publication of exactly its tables, plus, on a source before PostgreSQL 14, the marker table
     * of the job's slot (made here: the stream's markers are rows of it there, {@link WalMarker}), in every
     * group's publication so that one marker reaches every group's stream. One that exists is
     * recreated in the same transaction rather than altered: that also covers an empty list (ALTER ... SET
     * TABLE needs one table) and a publication made with other options. Safe, because its slot does not
     * exist yet (checked before).
     */
    private static void definePublications(Connection conn, List<ReplicationGroups.Group> groups, String slotName,
                                           List<List<TableInfo>> tables) throws SQLException {
        boolean markerTable = WalMarker.needsTable(conn.getMetaData().getDatabaseMajorVersion() * 10000);
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
            if (markerTable) {
                WalMarker.createTable(conn, slotName);
            }
            for (ReplicationGroups.Group g : groups) {
                String name = SqlIdentifiers.quote(g.publicationName());
                // ONLY: an inheritance parent must not pull in children that are not in the list (they may lack an identity).
                List<String> members = new ArrayList<>(tables.get(g.index()).stream().map(t -> "ONLY " + t.qualifiedName()).toList());
                if (markerTable) {
                    members.add("ONLY " + WalMarker.qualifiedTable(slotName));
                }
                st.execute("DROP PUBLICATION IF EXISTS " + name);
                st.execute("CREATE PUBLICATION " + name + (members.isEmpty() ? "" : " FOR TABLE " + String.join(", ", members)));
            }
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(true);
        }
    }

    private static boolean slotExists(Connection conn, String slotName) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slotName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void requireSlotName(String slotName) {
        if (slotName == null || !SLOT_NAME.matcher(slotName).matches()) {
            throw new IllegalArgumentException("invalid replication slot name (a-z, 0-9, _; 63 at most): " + slotName);
        }
    }

    @Override
    public String toString() {
        return "SlotSnapshot[slot=" + slotName + ", publication=" + publicationName + ", snapshot=" + snapshotName
                + ", consistentLsn=" + consistentLsn + "]";
    }
}
