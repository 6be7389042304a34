package dms.common.pg;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.ConnectionProfile;
import dms.common.secret.SecretCipher;
import dms.devstack.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A profile's TLS files against a real server that verifies client certificates: a role that may
 * log in only with a certificate, no password. pgjdbc (through PgConnector) and libpq (psql with
 * PgConnector's environment) both connect with verify-full; a CA that did not sign the server's
 * certificate is refused. Needs openssl (the certificates are made here) and psql.
 */
class PgConnectorTlsServerTest {

    private static final String ROLE = "tls_probe";
    private static final SecretCipher CIPHER = new SecretCipher(SecretCipher.DEVELOPMENT_KEY);
    private static final PgConnector CONNECTOR = new PgConnector(CIPHER, "tls-test");
    private static Path dir;
    private static PgCluster server;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(found("openssl") && found("psql"), "openssl and psql are needed");
        dir = Files.createTempDirectory(Path.of("/tmp"), "dms-tls-test-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tls = Files.createDirectories(dir.resolve("tls"));
        Files.setPosixFilePermissions(tls, PosixFilePermissions.fromString("rwxr-xr-x"));
        ca("ca");
        ca("other-ca");
        signed("server", "127.0.0.1", "subjectAltName=IP:127.0.0.1");
        signed("client", ROLE, "keyUsage=digitalSignature");
        for (String file : List.of("server.key", "server.crt", "ca.crt")) {
            serverOwns(tls.resolve(file));
        }
        server = new PgCluster("tls", dir.resolve("tls-cluster")).setting("ssl", "on")
                .setting("ssl_cert_file", tls.resolve("server.crt").toString())
                .setting("ssl_key_file", tls.resolve("server.key").toString())
                .setting("ssl_ca_file", tls.resolve("ca.crt").toString());
        server.start();
        server.execute("postgres", "CREATE ROLE " + ROLE + " LOGIN");
        Path hba = server.dataDir().resolve("pg_hba.conf");
        Files.writeString(hba, "hostssl all " + ROLE + " 127.0.0.1/32 cert\nhost all " + ROLE + " 127.0.0.1/32 reject\n"
                + Files.readString(hba));
        server.execute("postgres", "SELECT pg_reload_conf()");
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ConnectionProfile profile(String caFile) throws IOException {
        Path tls = dir.resolve("tls");
        return new ConnectionProfile("tls", null, "127.0.0.1", server.port(), ROLE, null, null, "verify-full",
                Files.readString(tls.resolve(caFile)), Files.readString(tls.resolve("client.crt")),
                Files.readString(tls.resolve("client.key")), null, null, null).sealed(CIPHER);
    }

    @Test
    void pgjdbcLogsInWithTheClientCertificateOverVerifiedTls() throws Exception {
        try (Connection c = CONNECTOR.open(profile("ca.crt"), "postgres");
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertTrue(rs.next());
            assertEquals(ROLE, rs.getString(1));
            assertTrue(rs.getBoolean(2));
        }
    }

    @Test
    void libpqLogsInWithTheSameFiles() throws Exception {
        assertEquals(0, psql(profile("ca.crt")), "psql with PgConnector's environment");
    }

    @Test
    void aServerCertificateTheGivenCaDidNotSignIsRefused() throws Exception {
        assertThrows(java.sql.SQLException.class, () -> CONNECTOR.open(profile("other-ca.crt"), "postgres").close());
        assertNotEquals(0, psql(profile("other-ca.crt")));
    }

    private static int psql(ConnectionProfile profile) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "--no-psqlrc", "-tAc", "SELECT 1", "-d", PgConnector.dbnameArgument("postgres"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("psql.out").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PG"));
        env.putAll(CONNECTOR.libpqEnv(profile));
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }

    private static void ca(String name) throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=" + name, "-keyout", name + ".key", "-out", name + ".crt");
    }

    /** A key (PKCS #8 PEM, as openssl genpkey writes it) and a certificate signed by "ca". */
    private static void signed(String name, String commonName, String extension) throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", name + ".key");
        openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=" + commonName, "-out", name + ".csr");
        Path ext = Files.writeString(dir.resolve("tls").resolve(name + ".ext"), extension + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", ext.toString(), "-out", name + ".crt");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.resolve("tls").toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.out").toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + command + ": "
                + Files.readString(dir.resolve("openssl.out")));
    }

    /** The server reads its key only if it owns it (mode 600): as root, the clusters run as postgres. */
    private static void serverOwns(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        if ("root".equals(System.getProperty("user.name"))) {
            Files.getFileAttributeView(file, PosixFileAttributeView.class)
                    .setOwner(file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        }
    }

    private static boolean found(String tool) {
        try {
            return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
