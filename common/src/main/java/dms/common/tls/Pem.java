package dms.common.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TLS files of a connection profile, as PEM text: certificates (the CA that verifies the
 * server, the client's own) and an unencrypted PKCS #8 private key, the one form both libpq and
 * pgjdbc read. Errors say what was expected, never quote the text (a key is a secret).
 */
public final class Pem {

    /** A CA bundle may hold many certificates (cloud providers' bundles are ~200 KB). */
    public static final int MAX_CERTIFICATES_CHARS = 512 * 1024;
    public static final int MAX_KEY_CHARS = 32 * 1024;
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private Pem() {}

    /** One or more X.509 certificates; else an IllegalArgumentException saying what is wrong. */
    public static void requireCertificates(String pem) {
        if (pem.length() > MAX_CERTIFICATES_CHARS) {
            throw new IllegalArgumentException("at most " + MAX_CERTIFICATES_CHARS + " characters");
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("PEM certificates expected (-----BEGIN CERTIFICATE-----)");
        }
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("no certificate in the PEM text");
            }
        } catch (GeneralSecurityException | RuntimeException e) { // any text may come in: no parser failure is a 500
            throw new IllegalArgumentException("PEM certificates expected: these do not parse as X.509");
        }
    }

    /** The DER bytes of an unencrypted PKCS #8 key given as PEM; else an IllegalArgumentException saying what is wrong. */
    public static byte[] pkcs8Key(String pem) {
        if (pem.length() > MAX_KEY_CHARS) {
            throw new IllegalArgumentException("at most " + MAX_KEY_CHARS + " characters");
        }
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("a PEM private key expected (-----BEGIN PRIVATE KEY-----)");
        }
        if (!m.group(1).equals("PRIVATE KEY")) {
            throw new IllegalArgumentException("an unencrypted PKCS #8 key expected (-----BEGIN PRIVATE KEY-----), not "
                    + m.group(1) + ": convert it with openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM private key is not valid base64");
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                return der;
            } catch (GeneralSecurityException | RuntimeException notThisOne) {
                // the next algorithm
            }
        }
        throw new IllegalArgumentException("the PEM private key does not parse as a PKCS #8 RSA, EC or EdDSA key");
    }
}
