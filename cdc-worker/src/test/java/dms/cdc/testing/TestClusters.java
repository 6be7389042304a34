package dms.cdc.testing;

import dms.common.pg.PgConnector;
import dms.common.messages.ConnectionProfile;
import dms.common.secret.SecretCipher;
import dms.devstack.PgCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real PostgreSQL clusters for one test class (logical decoding on), with connection profiles
 * that carry the password encrypted, as CDC control messages do.
 */
public final class TestClusters implements AutoCloseable {

    private final Path dir;
    private final List<PgCluster> clusters = new ArrayList<>();
    public final SecretCipher cipher;
    public final PgConnector connections;
    /** Streams started by the tests: stopped before the clusters. */
    public final List<dms.cdc.stream.CdcStream> streams = new java.util.concurrent.CopyOnWriteArrayList<>();

    private TestClusters(Path dir) {
        this.dir = dir;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cipher = new SecretCipher(Base64.getEncoder().encodeToString(key));
        this.connections = new PgConnector(cipher, "dms-cdc-worker");
    }

    /** Starts one cluster per name (in parallel). */
    public static TestClusters start(String... names) {
        try {
            // Under /tmp, open to others: as root, the clusters run as the postgres user, who must enter it.
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "dms-cdc-test-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            TestClusters result = new TestClusters(dir);
            List<PgCluster> started = Stream.of(names).parallel()
                    .map(name -> new PgCluster(name, dir.resolve(name))
                            .setting("wal_level", "logical")
                            .setting("max_replication_slots", "20")
                            .setting("max_wal_senders", "20")
                            .setting("max_logical_replication_workers", "8")
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

    /** A profile of the cluster as the worker gets it: password encrypted. */
    public ConnectionProfile profile(int index) {
        PgCluster c = clusters.get(index);
        return new ConnectionProfile(c.name(), c.name(), "127.0.0.1", c.port(), PgCluster.USER, null,
                cipher.encrypt(PgCluster.PASSWORD), "prefer", null);
    }

    @Override
    public void close() {
        streams.forEach(dms.cdc.stream.CdcStream::stop);
        clusters.forEach(PgCluster::close);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp dir is harmless
        }
    }
}
