package dms.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What every bench result records about its run (the machine, the commit measured) and its work-dir clean-up. */
final class RunInfo {

    private RunInfo() {}

    /** Cores, CPU model, memory, OS and JVM of this machine. */
    /** A fresh work dir under /tmp that the clusters' postgres user can read. */
    static Path workDir(String prefix) throws IOException {
        return Files.createTempDirectory(Path.of("/tmp"), prefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    /** What every result starts with: the benchmark, the date, the machine and the code measured. */
    static Map<String, Object> header(String benchmark, Map<String, Object> machine, Path repoRoot) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", benchmark);
        result.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        result.put("machine", machine);
        result.put("code", code(repoRoot));
        return result;
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        String mem = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        m.put("memoryGiB", mem == null ? Double.NaN
                : Math.round(Long.parseLong(mem.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0 * 10) / 10.0);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return m;
    }

    /** The commit measured (read-only git), and whether the tree had local changes. */
    static Map<String, Object> code(Path repoRoot) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("commit", git(repoRoot, "rev-parse", "--short", "HEAD"));
        String status = git(repoRoot, "status", "--porcelain", "--untracked-files=no");
        m.put("localChanges", status != null && !status.isBlank());
        return m;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static String firstValue(Path file, String key) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    private static String git(Path repoRoot, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", repoRoot.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
