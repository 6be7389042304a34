package dms.cdc.control;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.CdcControl;
import dms.common.messages.ConnectionProfile;
import dms.common.secret.SecretCipher;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A running stream reconnects for an edited profile, not for secrets sealed anew by a key rotation. */
class SameServersTest {

    private static final SecretCipher CIPHER = new SecretCipher(SecretCipher.DEVELOPMENT_KEY);

    private static ConnectionProfile profile(String host, String sealedPassword, Instant updateTime) {
        return new ConnectionProfile("p", null, host, 5432, "u", null, sealedPassword, "prefer", null, null, null, null,
                Instant.EPOCH, updateTime);
    }

    private static CdcControl control(ConnectionProfile source) {
        return new CdcControl("j", "db", 1, CdcControl.Desired.RUN, "slot", "pub", source, profile("dst", null, null), Instant.now(), null, null);
    }

    @Test
    void anEditReconnectsAReencryptionDoesNot() {
        CdcControl running = control(profile("src", CIPHER.encrypt("pw"), null));
        assertTrue(JobDatabaseStream.sameServers(running, control(profile("src", CIPHER.encrypt("pw"), null))), "sealed anew");
        Instant edited = Instant.parse("2026-01-01T00:00:00Z");
        assertFalse(JobDatabaseStream.sameServers(running, control(profile("src", CIPHER.encrypt("new"), edited))), "a new password");
        assertFalse(JobDatabaseStream.sameServers(running, control(profile("src2", CIPHER.encrypt("pw"), edited))), "a new host");
    }
}
