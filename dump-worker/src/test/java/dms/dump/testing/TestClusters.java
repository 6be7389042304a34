package dms.dump.testing;

import dms.common.messages.ConnectionProfile;
import dms.common.secret.SecretCipher;
import dms.devstack.PgCluster;
import dms.common.pg.PgConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real PostgreSQL clusters for one test class (logical decoding on), with connection profiles
 * that carry the password encrypted, as tasks do.
 */
public final class TestClusters implements AutoCloseable {

    private final Path dir;
    private final List<PgCluster> clusters = new ArrayList<>();
    public final SecretCipher cipher;
    public final PgConnector connector;

    private TestClusters(Path dir) {
        this.dir = dir;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cipher = new SecretCipher(Base64.getEncoder().encodeToString(key));
        this.connector = new PgConnector(cipher, "dms-dump-worker");
    }

    /** Starts one cluster per name (in parallel: ~1.5 s each on 2 cores). */
    public static TestClusters start(String... names) {
        try {
            // Under /tmp, open to others: as root, the clusters run as the postgres user, who must enter it.
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "dms-dump-test-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            TestClusters result = new TestClusters(dir);
            List<PgCluster> started = Stream.of(names).parallel()
                    .map(name -> new PgCluster(name, dir.resolve(name))
                            .setting("wal_level", "logical")
                            .setting("max_replication_slots", "20")
                            .setting("max_wal_senders", "20")
                            .start())
                    .toList();
            result.clusters.addAll(started);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public PgCluster cluster(int index) {
        return clusters.get(index);
    }

    /** A profile of the cluster as the worker gets it: password encrypted, sslmode prefer (the default). */
    public ConnectionProfile profile(int index) {
        PgCluster c = clusters.get(index);
        return new ConnectionProfile(c.name(), c.name(), "127.0.0.1", c.port(), PgCluster.USER, null,
                cipher.encrypt(PgCluster.PASSWORD), "prefer", null);
    }

    /** Our copy sessions still connected to a cluster (any database), by application_name. */
    public static long workerSessions(PgCluster cluster, String state) throws SQLException {
        try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                     + "dms-dump-worker" + "'" + (state == null ? "" : " AND state = '" + state + "'"))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        clusters.forEach(PgCluster::close);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp dir is harmless
        }
    }
}
