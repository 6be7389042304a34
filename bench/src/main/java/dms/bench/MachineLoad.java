package dms.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How much CPU the machine spent during a timed phase, and how much of it was not this run's: on a shared
 * two-core machine another stack, build or test run can double the numbers, so every phase records it next to
 * its results. "Ours" is this JVM and every process whose command line names the run's work dir (the broker, the
 * services, the PostgreSQL servers) with their children (PostgreSQL backends, psql, pg_dump). A process's CPU
 * counts its own time plus that of its children it has already reaped (cutime, cstime): short-lived backends and
 * tools that ended between two marks are counted (in their parent's share), not passed off as other load.
 * Linux /proc only.
 */
final class MachineLoad {

    /** USER_HZ: /proc tick unit; 100 on every Linux build that matters. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** A point in time: machine busy ticks, this run's ticks, the 1-minute load average. */
    record Mark(long nanos, long machineBusyTicks, long ourTicks, double loadAverage1m) {}

    private MachineLoad() {}

    static Mark mark(Path workDir) {
        return new Mark(System.nanoTime(), machineBusyTicks(), ourTicks(workDir.toString()), loadAverage());
    }

    /** CPU used between two marks, in cores (1.0 = one core busy all the time). */
    static Map<String, Object> between(Mark a, Mark b) {
        double wall = (b.nanos() - a.nanos()) / 1e9;
        double machine = (b.machineBusyTicks() - a.machineBusyTicks()) / TICKS_PER_SECOND / wall;
        double ours = (b.ourTicks() - a.ourTicks()) / TICKS_PER_SECOND / wall;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", Stats.round(wall));
        m.put("machineBusyCores", Stats.round(machine));
        m.put("thisRunCores", Stats.round(ours));
        m.put("otherCores", Stats.round(Math.max(0, machine - ours)));
        m.put("loadAverage1mAtEnd", b.loadAverage1m());
        return m;
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** user + nice + system + irq + softirq + steal of the "cpu" line of /proc/stat. */
    private static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long ourTicks(String workDir) {
        long self = ProcessHandle.current().pid();
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        Set<Long> ours = new HashSet<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    // the command name (field 2) may hold spaces: fields are counted after its closing parenthesis
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    parent.put(pid, Long.parseLong(f[1]));
                    // utime + stime + cutime + cstime (fields 14-17): an exited, reaped child's time moves to its
                    // parent's cutime/cstime, so it is counted once, whether it is still alive or not.
                    ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]));
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (pid == self || cmd.contains(workDir)) {
                        ours.add(pid);
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<Long, Long> e : parent.entrySet()) {
                if (!ours.contains(e.getKey()) && ours.contains(e.getValue())) {
                    ours.add(e.getKey());
                    grew = true;
                }
            }
        }
        return ours.stream().mapToLong(pid -> ticks.getOrDefault(pid, 0L)).sum();
    }
}
