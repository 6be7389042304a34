package dms.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dms.bench.FullDumpFormat.log;
import static dms.bench.FullDumpFormat.round1;
import static dms.bench.FullDumpFormat.sleep;

/** The machine is shared: how busy it is before and around the timed runs, and a wait for it to calm down. */
final class MachineQuiet {

    static final double QUIET_CORES = 0.2;

    private final Path workDir;
    private final int quietWaitSeconds;

    MachineQuiet(Path workDir, int quietWaitSeconds) {
        this.workDir = workDir;
        this.quietWaitSeconds = quietWaitSeconds;
    }

    /**
     * The machine is shared: before a timed run, wait (up to --quiet-wait seconds) until other processes use less
     * than {@value #QUIET_CORES} cores over a 3 s window. Returns how long it waited and the last window's load.
     */
    Map<String, Object> awaitQuiet() {
        Map<String, Object> q = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Map<String, Object> window = Map.of();
        boolean quiet = false;
        if (quietWaitSeconds > 0) {
            long deadline = t0 + TimeUnit.SECONDS.toNanos(quietWaitSeconds);
            boolean said = false;
            while (true) {
                MachineLoad.Mark a = MachineLoad.mark(workDir);
                sleep(3000);
                window = MachineLoad.between(a, MachineLoad.mark(workDir));
                quiet = ((Number) window.get("otherCores")).doubleValue() < QUIET_CORES;
                if (quiet || System.nanoTime() > deadline) {
                    break;
                }
                if (!said) {
                    log("waiting up to %d s for a quieter machine: others use %s cores", quietWaitSeconds, window.get("otherCores"));
                    said = true;
                }
            }
        }
        q.put("waitedSeconds", round1((System.nanoTime() - t0) / 1e9));
        q.put("quiet", quiet);
        q.put("otherCoresBefore", window.get("otherCores"));
        return q;
    }

    static String loadNote(Map<String, Object> r) {
        if (!(r.get("machineLoad") instanceof Map<?, ?> m)) {
            return "";
        }
        double other = ((Number) m.get("otherCores")).doubleValue();
        return String.format("(CPU: this run %.2f cores, others %.2f cores%s)", ((Number) m.get("thisRunCores")).doubleValue(),
                other, other > QUIET_CORES ? ", NOT QUIET" : "");
    }

    static Map<String, Object> otherActivity() {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            m.put("loadavg", Files.readString(Path.of("/proc/loadavg")).trim());
        } catch (IOException e) {
            m.put("loadavg", null);
        }
        try {
            Process p = new ProcessBuilder("ps", "-eo", "pid,pcpu,etime,args", "--sort=-pcpu").redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines().skip(1)
                    .filter(l -> !l.contains("dms-fulldump-") && !l.contains("FullDumpBench"))
                    .limit(6).map(l -> l.length() > 160 ? l.substring(0, 160) : l).map(String::trim).collect(Collectors.toList());
            p.waitFor(5, TimeUnit.SECONDS);
            m.put("topProcesses", lines);
        } catch (IOException e) {
            m.put("topProcesses", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return m;
    }
}
