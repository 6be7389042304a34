package dms.common.validation;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.ConnectionProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostNamesTest {

    @Test
    void hostNamesAndAddressesAreHosts() {
        for (String host : List.of("db", "localhost", "db.example.com", "DB-1.Example.COM", "my_service.default.svc.cluster.local",
                "pg-0", "a".repeat(63) + ".b", "10.0.0.5", "0.0.0.0", "255.255.255.255", "::1", "::", "[::1]", "2001:db8::5",
                "[2001:db8::5]", "fe80:0:0:0:0:0:0:1", "1:2:3:4:5:6:7:8", "::ffff:10.0.0.5", "[::ffff:10.0.0.5]", "1::")) {
            assertTrue(HostNames.isValid(host), host);
        }
    }

    @Test
    void anythingThatCouldRewriteAConnectionIsNot() {
        for (String host : List.of("", " ", " db", "db ", "db/postgres?sslmode=disable&x=", "db?sslmode=disable", "db#x", "user@db",
                "db:5433", "db&x=1", "db=x", "db;x", "db,other", "-db", "db-", "db..x", ".db", "db.", "a".repeat(64), "x." .repeat(127) + "x",
                "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "[db]", "[::1", "::1]", "1::2::3", ":::", "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7", "12345::1", "g::1", "fe80::1%eth0", "[fe80::1]:5432", "::1.2.3.4:1", "1.2.3.4::1", "db\n", "dé.example",
                "db\u0000")) {
            assertFalse(HostNames.isValid(host), host);
        }
        assertFalse(HostNames.isValid(null));
    }

    @Test
    void theValidatorNamesTheHostFieldWithTheRule() {
        ConnectionProfile p = new ConnectionProfile("p1", null, "db/postgres?sslmode=disable&x=", 5432, "u", "pw", null, null, null);
        Command c = Command.builder(CommandType.CREATE_CONNECTION_PROFILE).commandId("c").connectionProfile(p).build();
        assertEquals(List.of(new FieldError("connectionProfile.host", "not " + HostNames.RULE)), CommandValidator.validate(c));
        ConnectionProfile none = new ConnectionProfile("p1", null, null, 5432, "u", "pw", null, null, null);
        List<FieldError> errors = new java.util.ArrayList<>();
        CommandValidator.profile(none, "connectionProfile", errors);
        assertEquals(List.of(new FieldError("connectionProfile.host", "required: " + HostNames.RULE)), errors);
    }
}
