package dms.bench;

import dms.devstack.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL client tools (pg_dump, pg_restore, psql, pgbench, pgcopydb) as processes of this run: each with
 * its log file under the work dir, the cluster's password and the PostgreSQL binaries first on the PATH, and a
 * timeout.
 */
final class ToolProcesses {

    static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);

    private final Path bindir;
    private final Path workDir;

    ToolProcesses(Path bindir, Path workDir) {
        this.bindir = bindir;
        this.workDir = workDir;
    }

    String bin(String tool) {
        return bindir.resolve(tool).toString();
    }

    Process start(List<String> command, Path logFile) throws IOException {
        Files.createDirectories(logFile.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().put("PATH", bindir + ":" + System.getenv("PATH"));
        pb.environment().put("PGPASSWORD", PgCluster.PASSWORD);
        pb.environment().put("PGCONNECT_TIMEOUT", "10");
        pb.environment().put("TMPDIR", logFile.getParent().toString());
        return pb.start();
    }

    void await(Process p, Path logFile) throws InterruptedException {
        if (!p.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new BenchFailure("timed out after " + RUN_TIMEOUT + ": see " + logFile + "\n" + tail(logFile));
        }
        if (p.exitValue() != 0) {
            throw new BenchFailure("exit " + p.exitValue() + ": " + logFile + "\n" + tail(logFile));
        }
    }

    void exec(List<String> command, Path logFile) throws IOException, InterruptedException {
        await(start(command, logFile), logFile);
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    Path runDir(String name) throws IOException {
        Path dir = workDir.resolve("runs").resolve(name);
        Files.createDirectories(dir);
        return dir;
    }

    static Path pgBindir() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.isExecutable(Path.of(out, "pg_dump"))) {
                return Path.of(out);
            }
        } catch (IOException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
            return dirs.map(d -> d.resolve("bin")).filter(d -> Files.isExecutable(d.resolve("pg_dump")))
                    .max(Comparator.comparing(d -> Integer.parseInt(d.getParent().getFileName().toString())))
                    .orElseThrow(() -> new BenchFailure("no PostgreSQL binaries found"));
        } catch (IOException e) {
            throw new BenchFailure("no PostgreSQL binaries found: " + e);
        }
    }

    static Map<String, Object> toolVersions(Path bindir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pgcopydb", firstLine(List.of("pgcopydb", "--version"), "pgcopydb version"));
        m.put("pg_dump", firstLine(List.of(bindir.resolve("pg_dump").toString(), "--version"), "pg_dump"));
        m.put("psql", firstLine(List.of(bindir.resolve("psql").toString(), "--version"), "psql"));
        return m;
    }

    static String firstLine(List<String> command, String prefix) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().filter(l -> l.contains(prefix)).findFirst().map(String::trim).orElse(out.trim());
        } catch (IOException e) {
            return "not found: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static long treeSize(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }
}
