package dms.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The PostgreSQL server binaries (initdb, pg_ctl), and the user they run as: initdb and pg_ctl refuse to
 * run as root, so as root they run as the {@code postgres} user on files that user owns.
 */
final class PgBinaries {
    static final String OS_USER = "postgres";

    private static volatile PgBinaries located;

    private final Path binDir;
    private final boolean asRoot;

    private PgBinaries(Path binDir, boolean asRoot) {
        this.binDir = binDir;
        this.asRoot = asRoot;
    }

    /** Searched once: {@code -Ddms.pg.bindir}, $PG_BINDIR, {@code pg_config --bindir}, PATH, /usr/lib/postgresql/N/bin. */
    static PgBinaries locate() {
        PgBinaries result = located;
        if (result == null) {
            result = new PgBinaries(findBinDir(), "root".equals(System.getProperty("user.name")));
            located = result;
        }
        return result;
    }

    /** The server binaries of PostgreSQL {@code major} (see {@link PgServers}), run as the same user. */
    static PgBinaries ofMajor(int major) {
        return new PgBinaries(PgServers.binDir(major), "root".equals(System.getProperty("user.name")));
    }

    Path binDir() {
        return binDir;
    }

    /** The command line of a PostgreSQL tool, as the postgres user when we are root. */
    List<String> command(String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (asRoot) {
            command.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        command.add(binDir.resolve(tool).toString());
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** Makes a file or directory ours-to-postgres when we are root (a no-op otherwise). */
    void giveToServerUser(Path path) {
        if (!asRoot) {
            return;
        }
        try {
            UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setOwner(owner);
        } catch (IOException e) {
            throw new DevStackException("cannot give " + path + " to the " + OS_USER + " user: " + e.getMessage(), e);
        }
    }

    /**
     * The postgres user must traverse every directory above a cluster folder. Directories from {@code stackDir}
     * down are ours: they get o+x. One above it that is closed fails here, with a clearer message than initdb's.
     */
    void ensureTraversable(Path folder, Path stackDir) {
        if (!asRoot) {
            return;
        }
        Path stack = stackDir.toAbsolutePath().normalize();
        for (Path dir = folder.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
                if (perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    continue;
                }
                if (dir.startsWith(stack)) {
                    perms.add(PosixFilePermission.OTHERS_EXECUTE);
                    perms.add(PosixFilePermission.GROUP_EXECUTE);
                    Files.setPosixFilePermissions(dir, perms);
                } else {
                    throw new DevStackException("the " + OS_USER + " user cannot enter " + dir + " (mode "
                            + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "), so it cannot run a cluster in "
                            + folder + ": chmod o+x " + dir + " or choose a directory elsewhere (e.g. under /tmp)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Path findBinDir() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty("dms.pg.bindir");
        if (property != null && !property.isBlank()) {
            candidates.add(Path.of(property));
        }
        String env = System.getenv("PG_BINDIR");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        Path pgConfig = onPath("pg_config");
        if (pgConfig != null) {
            try {
                candidates.add(Path.of(Exec.run(List.of(pgConfig.toString(), "--bindir"), Path.of("/"), Duration.ofSeconds(10)).trim()));
            } catch (DevStackException e) {
                // a broken pg_config is just one candidate less
            }
        }
        Path initdb = onPath("initdb");
        if (initdb != null) {
            try {
                candidates.add(initdb.toRealPath().getParent());
            } catch (IOException e) {
                candidates.add(initdb.getParent());
            }
        }
        candidates.addAll(debianBinDirs());
        return candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst()
                .orElseThrow(() -> new DevStackException("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in "
                        + candidates + ": install them or set -Ddms.pg.bindir / PG_BINDIR"));
    }

    private static Path onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool);
            }
        }
        return null;
    }

    /** Debian/Ubuntu install each major version side by side; the newest one wins. */
    private static List<Path> debianBinDirs() {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions
                    .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .sorted(Comparator.comparingDouble((Path v) -> Double.parseDouble(v.getFileName().toString())).reversed())
                    .map(v -> v.resolve("bin"))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
