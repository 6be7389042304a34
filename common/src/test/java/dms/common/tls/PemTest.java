package dms.common.tls;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PemTest {

    @Test
    void certificatesParseAndAnythingElseIsRefused() {
        Pem.requireCertificates(TestPem.certificate());
        Pem.requireCertificates(TestPem.certificate() + TestPem.certificate());
        assertThrows(IllegalArgumentException.class, () -> Pem.requireCertificates("not a certificate"));
        assertThrows(IllegalArgumentException.class, () -> Pem.requireCertificates(TestPem.pem("CERTIFICATE", new byte[] {1, 2, 3})));
        assertThrows(IllegalArgumentException.class, () -> Pem.requireCertificates(TestPem.privateKey("EC")));
    }

    @Test
    void aPkcs8KeyGivesItsDerBytes() {
        String pem = TestPem.privateKey("RSA");
        byte[] der = Pem.pkcs8Key(pem);
        assertEquals(pem, TestPem.pem("PRIVATE KEY", der));
        assertNotNull(Pem.pkcs8Key(TestPem.privateKey("EC")));
    }

    @Test
    void otherKeyFormsAreRefusedSayingHowToConvertWithoutQuotingTheKey() {
        byte[] body = Base64.getDecoder().decode("MHcCAQEEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        IllegalArgumentException sec1 = assertThrows(IllegalArgumentException.class, () -> Pem.pkcs8Key(TestPem.pem("EC PRIVATE KEY", body)));
        assertTrue(sec1.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), sec1.getMessage());
        assertFalse(sec1.getMessage().contains("MHcCAQEE"));
        assertThrows(IllegalArgumentException.class, () -> Pem.pkcs8Key(TestPem.pem("ENCRYPTED PRIVATE KEY", body)));
        assertThrows(IllegalArgumentException.class, () -> Pem.pkcs8Key(TestPem.pem("PRIVATE KEY", body)), "not a key");
        assertThrows(IllegalArgumentException.class, () -> Pem.pkcs8Key("secret text"));
        assertThrows(IllegalArgumentException.class, () -> Pem.pkcs8Key(TestPem.privateKey("EC") + "x".repeat(Pem.MAX_KEY_CHARS)));
    }

    /** Whatever a client sends, the answer is a field error (IllegalArgumentException), never another failure. */
    @Test
    void randomTextIsRefusedAsAFieldErrorOnly() {
        java.util.Random random = new java.util.Random(20261205L);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n -\u00e9\u0000";
        for (int i = 0; i < 2000; i++) {
            StringBuilder body = new StringBuilder();
            for (int n = random.nextInt(300); n > 0; n--) {
                body.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            for (String label : new String[] {"CERTIFICATE", "PRIVATE KEY"}) {
                String text = "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
                assertThrows(IllegalArgumentException.class, () -> Pem.requireCertificates(text));
                assertThrows(IllegalArgumentException.class, () -> Pem.pkcs8Key(text));
            }
        }
    }
}
