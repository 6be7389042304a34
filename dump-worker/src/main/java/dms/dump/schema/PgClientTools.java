package dms.dump.schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where pg_dump and pg_restore are, and their version. No Maven artifact carries them: they
 * come from the machine (the container image installs the client of the newest supported source).
 * pg_dump dumps servers of its own major version and older only, so the newest one found is taken,
 * among {@code $PG_BINDIR} (the configured directory), PATH, {@code pg_config --bindir} and
 * {@code /usr/lib/postgresql/<major>/bin} (where Debian installs each major).
 */
public final class PgClientTools {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");
    /** Debian's per-major client directories. */
    private static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");

    private final Path binDir;

    public PgClientTools(Path binDir) {
        this.binDir = binDir;
    }

    /**
     * Finds the directory whose pg_dump is the newest major, among those that hold both pg_dump and
     * pg_restore (the first one listed on a tie). Debian's {@code /usr/bin} entries are links to pg_wrapper,
     * which picks a version per call (by cluster, host, port): those are taken only when nothing else is
     * found, so the version checked is the version that dumps.
     */
    public static PgClientTools locate() {
        return newest(candidates());
    }

    /** The directory of {@link #locate()}'s choice among {@code candidates}, in their order of preference on a tie. */
    static PgClientTools newest(List<Path> candidates) {
        List<Path> usable = candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("pg_dump")) && Files.isExecutable(dir.resolve("pg_restore")))
                .distinct()
                .toList();
        Path best = null;
        int bestMajor = -1;
        for (Path dir : usable) {
            if (isWrapper(dir.resolve("pg_dump"))) {
                continue;
            }
            int major = majorOrMinusOne(dir);
            if (major > bestMajor) {
                best = dir;
                bestMajor = major;
            }
        }
        if (best == null && !usable.isEmpty()) {
            best = usable.get(0);
        }
        if (best == null) {
            throw new SchemaDumpException("pg_dump and pg_restore not found (looked in $PG_BINDIR, PATH, pg_config --bindir and "
                    + DEBIAN_VERSIONS + "/*/bin): install the PostgreSQL client (e.g. apt-get install postgresql-client-NN,"
                    + " NN at least the source's major version) or set PG_BINDIR");
        }
        return new PgClientTools(best);
    }

    /** $PG_BINDIR, PATH, pg_config --bindir, then Debian's per-major directories, newest first. */
    private static List<Path> candidates() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("PG_BINDIR");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir));
                }
            }
        }
        pgConfigBinDir(candidates).ifPresent(candidates::add);
        try (Stream<Path> versions = Files.isDirectory(DEBIAN_VERSIONS) ? Files.list(DEBIAN_VERSIONS) : Stream.empty()) {
            versions.map(v -> v.resolve("bin")).sorted(Comparator.reverseOrder()).forEach(candidates::add);
        } catch (IOException e) {
            // unreadable: the other places still count
        }
        return candidates;
    }

    private static int majorOrMinusOne(Path dir) {
        try {
            return new PgClientTools(dir).pgDumpMajorVersion();
        } catch (SchemaDumpException e) {
            return -1;
        }
    }

    private static boolean isWrapper(Path tool) {
        try {
            return !tool.toRealPath().getFileName().toString().equals(tool.getFileName().toString());
        } catch (IOException e) {
            return true;
        }
    }

    public Path pgDump() {
        return binDir.resolve("pg_dump");
    }

    public Path pgRestore() {
        return binDir.resolve("pg_restore");
    }

    /** pg_dump's major version (15 for 15.4; 9 for 9.6, as server_version_num / 10000 counts). */
    public int pgDumpMajorVersion() {
        ToolRun.Result result = ToolRun.run(List.of(pgDump().toString(), "--version"), Map.of(), null);
        if (result.exitCode() != 0) {
            throw new SchemaDumpException(pgDump() + " --version failed: " + result.stderrTail());
        }
        return parseMajor(new String(result.stdout(), StandardCharsets.UTF_8));
    }

    /** The major version in a {@code --version} line such as {@code pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)}. */
    static int parseMajor(String versionLine) {
        Matcher m = VERSION.matcher(versionLine);
        if (!m.find()) {
            throw new SchemaDumpException("cannot read the version of pg_dump from: " + versionLine.trim());
        }
        return Integer.parseInt(m.group(1));
    }

    private static java.util.Optional<Path> pgConfigBinDir(List<Path> searchPath) {
        for (Path dir : searchPath) {
            Path pgConfig = dir.resolve("pg_config");
            if (Files.isExecutable(pgConfig)) {
                try {
                    Process p = new ProcessBuilder(pgConfig.toString(), "--bindir").redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                        return java.util.Optional.of(Path.of(out));
                    }
                } catch (IOException e) {
                    return java.util.Optional.empty();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return java.util.Optional.empty();
                }
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return binDir.toString();
    }
}
