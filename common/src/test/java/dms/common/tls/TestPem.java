package dms.common.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** PEM texts for tests: a certificate from the test resources, keys made now (no private key is kept in the repository). */
public final class TestPem {

    private TestPem() {}

    public static String certificate() {
        try (InputStream in = TestPem.class.getResourceAsStream("/tls/certificate.pem")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new PKCS #8 key of the algorithm (RSA, EC), as PEM. */
    public static String privateKey(String algorithm) {
        try {
            byte[] der = KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPrivate().getEncoded();
            return pem("PRIVATE KEY", der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
