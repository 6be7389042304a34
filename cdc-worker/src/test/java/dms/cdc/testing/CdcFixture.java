package dms.cdc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dms.cdc.stream.CdcStream;
import dms.cdc.stream.CdcStreamSpec;
import dms.cdc.apply.TableRef;
import dms.cdc.promote.DrainResult;
import dms.common.messages.ReplicationNames;
import dms.common.sql.Lsn;
import dms.common.sql.SqlIdentifiers;
import dms.common.verify.TableChecksum;
import dms.devstack.PgCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One job database on a source/destination pair, prepared the way the dump leaves it: the same
 * tables and rows on both sides, then (in that order) the publication and the slot on the source.
 */
public final class CdcFixture {

    public final TestClusters clusters;
    public final String jobId;
    public final String database;
    public final String slot;
    public final String publication;

    public CdcFixture(TestClusters clusters, String jobId, String database) {
        this.clusters = clusters;
        this.jobId = jobId;
        this.database = database;
        this.slot = ReplicationNames.slot(jobId, database);
        this.publication = ReplicationNames.publication(jobId, database);
    }

    public PgCluster source() {
        return clusters.cluster(0);
    }

    public PgCluster destination() {
        return clusters.cluster(1);
    }

    /**
     * Runs {@code schemaAndRows} on both servers (the "copy"), then creates the publication over
     * {@code tables} and the slot. Returns the slot's consistent LSN.
     */
    public Lsn prepare(String schemaAndRows, List<TableRef> tables) throws SQLException {
        source().createDatabase(database);
        destination().createDatabase(database);
        source().execute(database, schemaAndRows);
        destination().execute(database, schemaAndRows);
        source().execute(database, "CREATE PUBLICATION " + SqlIdentifiers.quote(publication) + " FOR TABLE "
                + tables.stream().map(TableRef::quoted).collect(Collectors.joining(", ")));
        try (Connection c = source().connect(database);
             PreparedStatement ps = c.prepareStatement("SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'pgoutput')")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Lsn.parse(rs.getString(1));
            }
        }
    }

    public CdcStreamSpec spec() {
        return spec(Map.of());
    }

    public CdcStreamSpec spec(Map<TableRef, Lsn> syncLsns) {
        return new CdcStreamSpec(jobId, database, slot, publication, clusters.profile(0), clusters.profile(1), syncLsns, null);
    }

    public CdcStream start() throws SQLException {
        return start(spec());
    }

    public CdcStream start(dms.cdc.stream.CdcStreamSpec spec) throws SQLException {
        CdcStream stream = CdcStream.start(spec, clusters.connections);
        clusters.streams.add(stream);
        return stream;
    }

    /** Drains the stream (it stops); fails the test after 90 s. */
    public DrainResult drain(CdcStream stream) throws Exception {
        return stream.drain().get(90, TimeUnit.SECONDS);
    }

    /** Runs SQL on the source database (several statements: one implicit transaction). */
    public void onSource(String sql) {
        source().execute(database, sql);
    }

    public String sourceQuery(String sql) {
        return source().queryForString(database, sql);
    }

    public String destinationQuery(String sql) {
        return destination().queryForString(database, sql);
    }

    public Lsn sourceWalLsn() {
        return Lsn.parse(sourceQuery("SELECT pg_current_wal_lsn()::text"));
    }

    /** Source and destination tables hold the same rows. */
    public void assertSameRows(TableRef table, List<String> key) throws SQLException {
        TableChecksum.Checksum s;
        TableChecksum.Checksum d;
        try (Connection c = session(source())) {
            s = TableChecksum.of(c, table.schema(), table.name(), key);
        }
        try (Connection c = session(destination())) {
            d = TableChecksum.of(c, table.schema(), table.name(), key);
        }
        if (!s.equals(d)) {
            List<String> sr = rowsAsText(source(), table);
            List<String> dr = rowsAsText(destination(), table);
            StringBuilder diff = new StringBuilder();
            for (int i = 0; i < Math.max(sr.size(), dr.size()); i++) {
                String a = i < sr.size() ? sr.get(i) : null;
                String b = i < dr.size() ? dr.get(i) : null;
                if (!java.util.Objects.equals(a, b)) {
                    diff.append("\n  source:      ").append(a).append("\n  destination: ").append(b);
                }
            }
            assertEquals(s, d, "rows of " + table + " differ between source and destination:" + diff);
        }
    }

    /** A session that renders values as the service's sessions do (PgConnector), whatever the database's settings. */
    private Connection session(PgCluster cluster) throws SQLException {
        Connection c = cluster.connect(database);
        try (Statement st = c.createStatement()) {
            st.execute("SET IntervalStyle = postgres");
        }
        return c;
    }

    private List<String> rowsAsText(PgCluster cluster, TableRef table) throws SQLException {
        List<String> rows = new java.util.ArrayList<>();
        try (Connection c = session(cluster); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT md5(ROW(t.*)::text) || ' ' || ROW(t.*)::text FROM " + table.quoted() + " t ORDER BY ROW(t.*)::text COLLATE \"C\"")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    public long count(PgCluster cluster, TableRef table) throws SQLException {
        try (Connection c = cluster.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table.quoted())) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
