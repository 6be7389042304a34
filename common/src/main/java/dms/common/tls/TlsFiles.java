package dms.common.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TLS files of connection profiles written where pgjdbc and libpq can read them: both take
 * only file paths. One private directory per process (0700, in java.io.tmpdir), each file 0600
 * (libpq refuses a key others may read), named by the hash of its content so that every
 * connection of a profile reuses one file; all deleted when the process exits.
 */
public final class TlsFiles {

    private static final TlsFiles SHARED = new TlsFiles();

    private final Map<String, Path> written = new ConcurrentHashMap<>();
    private volatile Path dir;

    private TlsFiles() {}

    public static TlsFiles shared() {
        return SHARED;
    }

    /** PEM certificates (a CA bundle or a client certificate), as a file. */
    public Path certificates(String pem) {
        return write(pem.getBytes(StandardCharsets.US_ASCII), ".crt");
    }

    /** A PEM private key as libpq reads it. */
    public Path pemKey(String pem) {
        return write(pem.getBytes(StandardCharsets.US_ASCII), ".key");
    }

    /** The same key as pgjdbc reads it whatever its version: PKCS #8 DER in a {@code .pk8} file. */
    public Path pk8Key(String pem) {
        return write(Pem.pkcs8Key(pem), ".pk8");
    }

    private Path write(byte[] content, String suffix) {
        String name = sha256(content) + suffix;
        return written.computeIfAbsent(name, n -> {
            try {
                Path file = Files.createFile(directory().resolve(n), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                file.toFile().deleteOnExit();
                return Files.write(file, content);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a TLS file of a connection profile", e);
            }
        });
    }

    private synchronized Path directory() throws IOException {
        if (dir == null) {
            Path created = Files.createTempDirectory("dms-tls-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            created.toFile().deleteOnExit(); // after the files, which are registered later and deleted first
            dir = created;
        }
        return dir;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
