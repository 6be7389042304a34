package dms.common.validation;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.ConnectionProfile;
import dms.common.tls.TestPem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A profile's fields, at creation (all required ones) and in an edit (each optional), with its TLS files. */
class ProfileValidationTest {

    private static ConnectionProfile profile(String id, String host, Integer port, String username, String password, String ca,
                                             String cert, String key) {
        return new ConnectionProfile(id, null, host, port, username, password, null, null, ca, cert, key, null, null, null);
    }

    private static List<String> fieldsOfCreate(ConnectionProfile p) {
        List<FieldError> errors = new ArrayList<>();
        CommandValidator.profile(p, "connectionProfile", errors);
        return errors.stream().map(FieldError::field).toList();
    }

    private static List<FieldError> edit(String profileId, ConnectionProfile p) {
        List<FieldError> errors = new ArrayList<>();
        CommandValidator.profileChanges(profileId, p, "connectionProfile", errors);
        return errors;
    }

    @Test
    void aCreationWithTlsFiles() {
        String cert = TestPem.certificate();
        assertEquals(List.of(), fieldsOfCreate(profile("p1", "db", 5432, "u", "pw", cert, cert, TestPem.privateKey("EC"))));
        assertEquals(List.of("connectionProfile.sslRootCert", "connectionProfile.sslCert", "connectionProfile.sslKey"),
                fieldsOfCreate(profile("p1", "db", 5432, "u", "pw", "x", "-----BEGIN CERTIFICATE-----", cert)));
        assertEquals(List.of("connectionProfile.host", "connectionProfile.port", "connectionProfile.username"),
                fieldsOfCreate(profile("p1", null, null, null, null, null, null, null)));
    }

    @Test
    void anEditNamesEachBadFieldItGives() {
        assertEquals(List.of(), edit("p1", profile(null, null, null, null, "new", null, null, null)));
        assertEquals(List.of(), edit("p1", profile("p1", "db2", 6432, "v", "", "", "", "")), "empty values remove");
        List<FieldError> errors = edit("p1", profile("p2", "db/x?sslmode=disable", 0, " ", "x".repeat(1025), "x", null, "k"));
        assertEquals(List.of("connectionProfile.id", "connectionProfile.host", "connectionProfile.port", "connectionProfile.username",
                "connectionProfile.password", "connectionProfile.sslRootCert", "connectionProfile.sslKey"),
                errors.stream().map(FieldError::field).toList());
        assertTrue(errors.stream().noneMatch(e -> e.message().contains("xxxx")), "no message repeats a value");
    }

    @Test
    void anEditChangesSomething() {
        List<FieldError> errors = edit("p1", profile(null, null, null, null, null, null, null, null));
        assertEquals("connectionProfile", errors.get(0).field());
        assertTrue(errors.get(0).message().contains("sslKey"), errors.get(0).message());
        assertEquals("connectionProfile", edit("p1", null).get(0).field());
    }
}
