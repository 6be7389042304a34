package dms.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How busy the machine was besides the bench: the load average and the other JVMs and PostgreSQL servers
 * running (another stack, a build, a test run). On a shared two-core machine they can double the numbers, so
 * every phase records this next to its results.
 */
final class MachineLoad {

    private MachineLoad() {}

    /** {@code loadAverage1m} and {@code otherProcesses}: java/postgres/mvn processes not under {@code workDir}. */
    static Map<String, Object> snapshot(Path workDir) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            m.put("loadAverage1m", Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
        } catch (IOException | RuntimeException e) {
            m.put("loadAverage1m", null);
        }
        m.put("otherProcesses", otherProcesses(workDir));
        return m;
    }

    private static int otherProcesses(Path workDir) {
        long self = ProcessHandle.current().pid();
        String ours = workDir.toString();
        int count = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) {
                    continue;
                }
                String cmd = cmdline(p);
                if (cmd.isEmpty() || cmd.contains(ours)) {
                    continue;
                }
                List<String> words = List.of(cmd.split(" "));
                String exe = words.get(0);
                boolean heavy = exe.endsWith("/java") || exe.equals("java")
                        || (exe.endsWith("/postgres") && words.contains("-D"));
                if (heavy) {
                    count++;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return count;
    }

    private static String cmdline(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }
}
