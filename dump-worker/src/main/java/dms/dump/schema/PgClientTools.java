package dms.dump.schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where pg_dump and pg_restore are, and their version. No Maven artifact carries them: they
 * come from the machine (the container image installs a recent client). Looked for in
 * {@code $PG_BINDIR}, then on PATH, then in {@code pg_config --bindir}.
 */
public final class PgClientTools {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

    private final Path binDir;

    public PgClientTools(Path binDir) {
        this.binDir = binDir;
    }

    /**
     * Finds the directory that holds both pg_dump and pg_restore. Debian's {@code /usr/bin} entries are
     * links to pg_wrapper, which picks a version per call (by cluster, host, port): those are passed over
     * for real binaries, so the version checked is the version that dumps.
     */
    public static PgClientTools locate() {
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
        List<Path> usable = candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("pg_dump")) && Files.isExecutable(dir.resolve("pg_restore")))
                .toList();
        return usable.stream().filter(dir -> !isWrapper(dir.resolve("pg_dump")))
                .findFirst()
                .or(() -> usable.stream().findFirst())
                .map(PgClientTools::new)
                .orElseThrow(() -> new SchemaDumpException("pg_dump and pg_restore not found (looked in $PG_BINDIR, PATH and"
                        + " pg_config --bindir): install the PostgreSQL client (e.g. apt-get install postgresql-client-NN,"
                        + " NN at least the source's major version) or set PG_BINDIR"));
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
