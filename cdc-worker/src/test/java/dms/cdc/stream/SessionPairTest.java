package dms.cdc.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.cdc.testing.WithClusters;
import dms.common.messages.ConnectionProfile;
import java.net.ServerSocket;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** The sessions a stream's start opens side by side: each on its own server, and a failure names the server. */
class SessionPairTest extends WithClusters {

    @Test
    void opensOneSessionOnEachServer() throws Exception {
        try (SessionPair sessions = SessionPair.open(clusters.connections, clusters.profile(0), clusters.profile(1), "postgres")) {
            assertEquals(String.valueOf(clusters.cluster(0).port()), port(sessions.source()));
            assertEquals(String.valueOf(clusters.cluster(1).port()), port(sessions.destination()));
        }
    }

    @Test
    void saysWhichServerItCouldNotReach() throws Exception {
        ConnectionProfile nowhere = unreachable(clusters.profile(0));
        SessionPair.OpenFailed source = assertThrows(SessionPair.OpenFailed.class,
                () -> SessionPair.open(clusters.connections, nowhere, clusters.profile(1), "postgres"));
        assertTrue(source.onSource(), source.getMessage());
        SessionPair.OpenFailed destination = assertThrows(SessionPair.OpenFailed.class,
                () -> SessionPair.open(clusters.connections, clusters.profile(0), nowhere, "postgres"));
        assertFalse(destination.onSource(), destination.getMessage());
        assertTrue(destination.getSQLState().startsWith("08"), "the driver's SQLSTATE is kept: " + destination.getSQLState());
    }

    private static String port(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW port")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The profile on a port nothing listens on. */
    private static ConnectionProfile unreachable(ConnectionProfile p) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return new ConnectionProfile(p.id(), p.displayName(), p.host(), port, p.username(), p.password(), p.encryptedPassword(),
                p.sslMode(), null);
    }
}
