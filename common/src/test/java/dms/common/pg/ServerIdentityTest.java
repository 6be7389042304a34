package dms.common.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.devstack.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One server under two names is told from two servers, by identifier and, where that is hidden, by the probe. */
class ServerIdentityTest {

    private static Path dir;
    private static PgCluster one;
    private static PgCluster two;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "dms-identity-test-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        one = new PgCluster("one", dir.resolve("one"));
        two = new PgCluster("two", dir.resolve("two"));
        Stream.of(one, two).parallel().forEach(PgCluster::start);
        for (PgCluster pg : new PgCluster[] {one, two}) {
            // A managed service's user: may not read pg_control_system().
            pg.execute("postgres", "CREATE ROLE plain LOGIN PASSWORD 'plain';"
                    + " REVOKE EXECUTE ON FUNCTION pg_control_system() FROM public");
        }
    }

    @AfterAll
    static void stop() {
        Stream.of(one, two).forEach(PgCluster::close);
    }

    @Test
    void byIdentifier() throws SQLException {
        try (Connection a = one.connect("postgres"); Connection b = connect(one, "localhost", "dms");
             Connection c = two.connect("postgres")) {
            assertNotNull(ServerIdentity.systemIdentifier(a));
            assertTrue(ServerIdentity.sameServer(a, b));
            assertFalse(ServerIdentity.sameServer(a, c));
            ServerIdentity.requireDifferent(a, c);
            SQLException refused = assertThrows(ServerIdentity.SameServerException.class, () -> ServerIdentity.requireDifferent(a, b));
            assertTrue(refused.getMessage().contains("same PostgreSQL server"), refused.getMessage());
        }
    }

    @Test
    void byProbeWhereTheIdentifierIsHidden() throws SQLException {
        try (Connection a = connect(one, "127.0.0.1", "plain"); Connection b = connect(one, "localhost", "plain");
             Connection c = connect(two, "127.0.0.1", "plain")) {
            assertNull(ServerIdentity.systemIdentifier(a), "hidden from this user");
            a.setAutoCommit(false);
            assertNull(ServerIdentity.systemIdentifier(a), "inside a transaction too, which stays usable");
            a.rollback();
            a.setAutoCommit(true);
            assertTrue(ServerIdentity.sameServer(a, b));
            assertFalse(ServerIdentity.sameServer(a, c));
            try (Statement st = a.createStatement(); var rs = st.executeQuery("SHOW application_name")) {
                rs.next();
                assertEquals("identity-test", rs.getString(1), "the probe's name is taken back");
            }
        }
    }

    private static Connection connect(PgCluster pg, String host, String user) throws SQLException {
        String password = user.equals("plain") ? "plain" : PgCluster.PASSWORD;
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + pg.port()
                + "/postgres?sslmode=disable&ApplicationName=identity-test", user, password);
    }
}
