package dms.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Finds the checkout whose build output (broker jars, service jars) devstack runs. */
public final class RepoRoot {
    static final String MARKER = "devstack/kafka-libs/pom.xml";

    private RepoRoot() {
    }

    /** {@code -Ddms.repo.root} if set, else the first directory above the current one holding {@value #MARKER}. */
    public static Path find() {
        String configured = System.getProperty("dms.repo.root");
        if (configured != null && !configured.isBlank()) {
            Path root = Path.of(configured).toAbsolutePath().normalize();
            if (!Files.isRegularFile(root.resolve(MARKER))) {
                throw new DevStackException("dms.repo.root=" + root + " is not the repository root: no " + MARKER);
            }
            return root;
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(MARKER))) {
                return dir;
            }
        }
        throw new DevStackException("cannot find the repository root (a directory holding " + MARKER + ") above "
                + cwd + "; run from inside the checkout or set -Ddms.repo.root");
    }

    /** The broker's class path, collected by the devstack/kafka-libs module at package time. */
    public static Path brokerLibs(Path root) {
        Path lib = root.resolve("devstack/kafka-libs/target/lib");
        if (!hasJars(lib)) {
            throw new DevStackException("the Kafka broker jars are missing in " + lib
                    + ": run mvn -B install -DskipTests first (in " + root + ")");
        }
        return lib;
    }

    private static boolean hasJars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".jar"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
