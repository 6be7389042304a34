package dms.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dms.bench.FullDumpDataset.DB;
import static dms.bench.FullDumpFormat.round1;
import static dms.bench.FullDumpFormat.round2;
import static dms.bench.FullDumpFormat.sleep;

/** Where the time of one of our runs went, read from the dump-worker's log; and its medians over runs. */
final class WorkerLogBreakdown {

    /** Units and index builds printed per run; the JSON has them all. */
    private static final int PRINTED_UNITS = 25;
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private static final Pattern LOG_LINE = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3})\\s+\\w+\\s+\\[[^]]*]\\s+\\(([^)]*)\\)\\s+(.*)$");

    private WorkerLogBreakdown() {
    }

    /**
     * Where the time of one of our runs went, from the dump-worker's log: the prepare step (its own duration, and
     * from :start until it was done, which adds the command's and the task's hops), the copies (each unit's line;
     * from the end of prepare to the last copy), post-data, and what is left until the API showed RUNNING/CDC.
     */
    static Map<String, Object> of(Path logFile, String jobId, long wallStart, long wallEnd) {
        String tag = jobId + "/" + DB;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String[]> lines = new ArrayList<>();
        while (true) {
            lines.clear();
            try (Stream<String> s = Files.lines(logFile)) {
                s.forEach(l -> {
                    Matcher m = LOG_LINE.matcher(l);
                    if (m.matches() && (m.group(3).contains(" " + tag + " ") || m.group(3).contains(" " + tag + ":"))) {
                        lines.add(new String[] {m.group(1), m.group(2), m.group(3)});
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                throw new BenchFailure("cannot read " + logFile + ": " + e);
            }
            if (lines.stream().anyMatch(l -> l[2].startsWith("Post-data of")) || System.nanoTime() > deadline) {
                break;
            }
            sleep(200);
        }
        Pattern prepared = Pattern.compile("^Prepared \\S+ in (\\d+) ms: .*?(\\d+) tables in (\\d+) copy units.*");
        Pattern copied = Pattern.compile("^Copied \\S+ (\\S+) \\((.*)\\): (\\d+) rows, ([\\d.]+) MB in (\\d+) ms \\((\\w+), ([\\d.]+) MB/s\\)");
        Pattern post = Pattern.compile(
                "^Post-data of \\S+ done in (\\d+) ms \\((?:(\\d+) ms of it waiting[^;]*; )?(\\d+) parallel jobs(?:, (\\d+) indexes[^)]*)?\\).*");
        Pattern indexed = Pattern.compile("^Indexed \\S+ (\\S+): (\\d+) indexes and key constraints in (\\d+) ms.*");
        Map<String, Object> b = new LinkedHashMap<>();
        long preparedAt = -1;
        long prepareMs = -1;
        long postEndAt = -1;
        long postMs = -1;
        long firstCopyStart = Long.MAX_VALUE;
        long lastCopyEnd = -1;
        long unitMsSum = 0;
        double mb = 0;
        List<Map<String, Object>> units = new ArrayList<>();
        List<Map<String, Object>> indexBuilds = new ArrayList<>();
        long lastTaskEnd = -1;
        long indexMsSum = 0;
        for (String[] l : lines) {
            long at = LocalDateTime.parse(l[0], LOG_TIME).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            Matcher m;
            if ((m = prepared.matcher(l[2])).matches()) {
                preparedAt = at;
                prepareMs = Long.parseLong(m.group(1));
                b.put("tables", Integer.parseInt(m.group(2)));
                b.put("copyUnits", Integer.parseInt(m.group(3)));
            } else if ((m = copied.matcher(l[2])).matches()) {
                long ms = Long.parseLong(m.group(5));
                firstCopyStart = Math.min(firstCopyStart, at - ms);
                lastCopyEnd = Math.max(lastCopyEnd, at);
                unitMsSum += ms;
                mb += Double.parseDouble(m.group(4));
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("table", m.group(1));
                u.put("range", m.group(2));
                u.put("rows", Long.parseLong(m.group(3)));
                u.put("mb", Double.parseDouble(m.group(4)));
                u.put("ms", ms);
                u.put("format", m.group(6));
                u.put("mbPerSecond", Double.parseDouble(m.group(7)));
                u.put("queueWaitSeconds", preparedAt < 0 ? null : round2((at - ms - preparedAt) / 1000.0));
                u.put("startSeconds", round2((at - ms - wallStart) / 1000.0));
                u.put("endSeconds", round2((at - wallStart) / 1000.0));
                u.put("thread", l[1]);
                units.add(u);
            } else if ((m = indexed.matcher(l[2])).matches()) {
                long ms = Long.parseLong(m.group(3));
                lastTaskEnd = Math.max(lastTaskEnd, at);
                indexMsSum += ms;
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("table", m.group(1));
                x.put("count", Integer.parseInt(m.group(2)));
                x.put("ms", ms);
                x.put("startSeconds", round2((at - ms - wallStart) / 1000.0));
                x.put("endSeconds", round2((at - wallStart) / 1000.0));
                indexBuilds.add(x);
            } else if ((m = post.matcher(l[2])).matches()) {
                postEndAt = at;
                postMs = Long.parseLong(m.group(1));
                b.put("postDataWaitForBuildsMs", m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
                b.put("postDataParallelJobs", Integer.parseInt(m.group(3)));
                b.put("postDataSkippedPrebuilt", m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
            }
        }
        lastTaskEnd = Math.max(lastTaskEnd, lastCopyEnd);
        if (preparedAt < 0 || postEndAt < 0 || units.isEmpty()) {
            b.put("incomplete", "missing lines in " + logFile + " for " + tag + ": " + lines.size() + " found");
            return b;
        }
        long postStart = postEndAt - postMs;
        // Hand-overs: a unit's COPIED report -> orchestrator -> the next task -> a worker starts it. For each unit
        // that did not start with the first wave, the time from the latest end of another unit before its start.
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        for (Map<String, Object> u : units) {
            starts.add(Math.round(((Number) u.get("startSeconds")).doubleValue() * 1000));
            ends.add(Math.round(((Number) u.get("endSeconds")).doubleValue() * 1000));
        }
        List<Long> gaps = new ArrayList<>();
        for (long st : starts) {
            long before = ends.stream().filter(e -> e <= st).max(Long::compare).orElse(-1L);
            if (before >= 0) {
                gaps.add(st - before);
            }
        }
        b.put("startToPrepareBeginMs", preparedAt - prepareMs - wallStart);
        b.put("unitHandOverGapsMs", gaps);
        b.put("prepareWorkerMs", prepareMs);
        b.put("startToPreparedMs", preparedAt - wallStart);
        b.put("preparedToFirstCopyMs", firstCopyStart - preparedAt);
        b.put("copyPhaseMs", lastCopyEnd - preparedAt);
        // Copies and the index builds that follow a table's copy, from the plan to the last of them.
        b.put("copyAndIndexPhaseMs", lastTaskEnd - preparedAt);
        b.put("indexBuildMsSum", indexMsSum);
        // How many copy/index streams ran on average over that phase: the cores the dump kept busy.
        b.put("busyStreams", round2((double) (unitMsSum + indexMsSum) / Math.max(1, lastTaskEnd - preparedAt)));
        b.put("copyUnitMsSum", unitMsSum);
        b.put("copiedMB", round1(mb));
        b.put("copyMBPerSecond", round1(mb / Math.max(1, lastCopyEnd - firstCopyStart) * 1000));
        b.put("lastCopyToPostDataMs", postStart - lastCopyEnd);
        b.put("lastTaskToPostDataMs", postStart - lastTaskEnd);
        b.put("postDataWorkerMs", postMs);
        b.put("postDataEndToRunningCdcMs", wallEnd - postEndAt);
        // The three phases the issue asks for, adding up to the run: prepare (start .. prepared), copy (prepared ..
        // last copy), post-data (last copy .. RUNNING/CDC seen, i.e. hops + post-data + report).
        b.put("prepareMs", preparedAt - wallStart);
        b.put("copyMs", lastTaskEnd - preparedAt);
        b.put("postDataMs", wallEnd - lastTaskEnd);
        b.put("units", units);
        b.put("indexBuilds", indexBuilds);
        return b;
    }

    /** The time split of one run as printed lines: each copy unit, each index build, post-data. */
    static List<String> describe(String label, Map<?, ?> b) {
        List<String> lines = new ArrayList<>();
        if (b == null || b.containsKey("incomplete") || !b.containsKey("units")) {
            lines.add("  " + label + ": no breakdown" + (b == null ? "" : " (" + b.get("incomplete") + ")"));
            return lines;
        }
        lines.add(String.format("  %s: prepare %.2f s, copies and index builds %.2f s (%.2f streams busy on average), post-data"
                        + " %.2f s (worker %.2f s, %s built after their copy skipped), %s units", label,
                num(b, "prepareMs") / 1000, num(b, "copyMs") / 1000, num(b, "busyStreams"), num(b, "postDataMs") / 1000,
                num(b, "postDataWorkerMs") / 1000, b.get("postDataSkippedPrebuilt"), b.get("copyUnits")));
        List<?> units = (List<?>) b.get("units");
        for (Object o : units.subList(0, Math.min(units.size(), PRINTED_UNITS))) {
            Map<?, ?> u = (Map<?, ?>) o;
            lines.add(String.format("    copy  %-28s %-24s %9s rows %7.1f MB %6.1f MB/s  queued %5.2f s  %6.2f-%6.2f s", u.get("table"),
                    u.get("range"), u.get("rows"), num(u, "mb"), num(u, "mbPerSecond"), num(u, "queueWaitSeconds"),
                    num(u, "startSeconds"), num(u, "endSeconds")));
        }
        if (units.size() > PRINTED_UNITS) {
            lines.add(String.format("    ... and %d more units (all in the JSON)", units.size() - PRINTED_UNITS));
        }
        List<?> builds = (List<?>) b.get("indexBuilds");
        for (Object o : builds.subList(0, Math.min(builds.size(), PRINTED_UNITS))) {
            Map<?, ?> x = (Map<?, ?>) o;
            lines.add(String.format("    index %-28s %d indexes/keys in %.2f s                              %6.2f-%6.2f s", x.get("table"),
                    ((Number) x.get("count")).intValue(), num(x, "ms") / 1000, num(x, "startSeconds"), num(x, "endSeconds")));
        }
        return lines;
    }

    private static double num(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static Map<String, Object> median(List<Map<String, Object>> list) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String key : List.of("prepareMs", "copyMs", "postDataMs", "startToPrepareBeginMs", "prepareWorkerMs", "startToPreparedMs",
                "preparedToFirstCopyMs", "copyUnitMsSum", "indexBuildMsSum", "busyStreams", "copyMBPerSecond", "lastCopyToPostDataMs",
                "postDataWorkerMs", "postDataEndToRunningCdcMs")) {
            List<Double> v = new ArrayList<>();
            for (Map<String, Object> r : list) {
                Object b = ((Map<?, ?>) r.get("breakdown")).get(key);
                if (b instanceof Number n) {
                    v.add(n.doubleValue());
                }
            }
            if (!v.isEmpty()) {
                m.put(key, round1(Stats.median(v)));
            }
        }
        return m;
    }
}
