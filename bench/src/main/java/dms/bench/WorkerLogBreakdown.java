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
        Pattern post = Pattern.compile("^Post-data of \\S+ done in (\\d+) ms \\((\\d+) parallel jobs\\), (\\d+) sequences synced");
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
                u.put("startSeconds", round2((at - ms - wallStart) / 1000.0));
                u.put("endSeconds", round2((at - wallStart) / 1000.0));
                u.put("thread", l[1]);
                units.add(u);
            } else if ((m = post.matcher(l[2])).matches()) {
                postEndAt = at;
                postMs = Long.parseLong(m.group(1));
                b.put("postDataParallelJobs", Integer.parseInt(m.group(2)));
            }
        }
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
        b.put("copyUnitMsSum", unitMsSum);
        b.put("copiedMB", round1(mb));
        b.put("copyMBPerSecond", round1(mb / Math.max(1, lastCopyEnd - firstCopyStart) * 1000));
        b.put("lastCopyToPostDataMs", postStart - lastCopyEnd);
        b.put("postDataWorkerMs", postMs);
        b.put("postDataEndToRunningCdcMs", wallEnd - postEndAt);
        // The three phases the issue asks for, adding up to the run: prepare (start .. prepared), copy (prepared ..
        // last copy), post-data (last copy .. RUNNING/CDC seen, i.e. hops + post-data + report).
        b.put("prepareMs", preparedAt - wallStart);
        b.put("copyMs", lastCopyEnd - preparedAt);
        b.put("postDataMs", wallEnd - lastCopyEnd);
        b.put("units", units);
        return b;
    }

    static Map<String, Object> median(List<Map<String, Object>> list) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String key : List.of("prepareMs", "copyMs", "postDataMs", "startToPrepareBeginMs", "prepareWorkerMs", "startToPreparedMs",
                "preparedToFirstCopyMs", "copyUnitMsSum", "copyMBPerSecond", "lastCopyToPostDataMs", "postDataWorkerMs",
                "postDataEndToRunningCdcMs")) {
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
