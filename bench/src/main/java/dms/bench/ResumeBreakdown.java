package dms.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the wait for the first change after a {@code :resume} went, from the cdc-worker's log lines of that
 * database after the call:
 * <ul>
 *   <li>{@code control}: the call until the worker saw the desired state RUN (API, orchestrator, Kafka);</li>
 *   <li>{@code startChecks}: the worker's own checks and sessions until the engine starts (slot, applied position);</li>
 *   <li>{@code debeziumStart}: Debezium's start until it reads the slot ("Processing messages");</li>
 *   <li>{@code firstChange}: from there until the first row showed on the destination: the source decoding the WAL
 *       from the slot's restart point ({@code redecodedKiB} of it before the confirmed position), the first
 *       transaction's way through the worker, the bench's polling (20 ms).</li>
 * </ul>
 */
final class ResumeBreakdown {

    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private static final Pattern LOG_LINE = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3})\\s+\\w+\\s+\\[[^]]*]\\s+\\(([^)]*)\\)\\s+(.*)$");
    private static final Pattern REDECODED = Pattern.compile(".*the source decodes (\\d+) kB of WAL again.*");

    private ResumeBreakdown() {
    }

    /**
     * @param resumedAt when the bench called {@code :resume}
     * @param firstRowSeconds when the first row showed on the destination, in seconds after {@code resumedAt}
     */
    static Map<String, Object> of(Path workerLog, String jobId, String db, String slotPrefix, Instant resumedAt, double firstRowSeconds) {
        List<String> lines;
        try {
            lines = Files.readAllLines(workerLog);
        } catch (IOException | UncheckedIOException e) {
            throw new BenchFailure("cannot read " + workerLog + ": " + e);
        }
        long t0 = resumedAt.toEpochMilli();
        long runWanted = -1;
        long streaming = -1;
        long processing = -1;
        long redecodedKiB = -1;
        for (String line : lines) {
            Matcher m = LOG_LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long at = LocalDateTime.parse(m.group(1), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            if (at < t0) {
                continue;
            }
            String thread = m.group(2);
            String text = m.group(3);
            if (runWanted < 0 && text.startsWith("CDC " + jobId + "/" + db + ": RUN wanted")) {
                runWanted = at;
            } else if (runWanted >= 0 && streaming < 0 && text.startsWith("CDC " + jobId + "/" + db + ": streaming slot")) {
                streaming = at;
            } else if (runWanted >= 0 && redecodedKiB < 0 && text.contains(slotPrefix)) {
                Matcher r = REDECODED.matcher(text);
                if (r.matches()) {
                    redecodedKiB = Long.parseLong(r.group(1));
                }
            } else if (streaming >= 0 && processing < 0 && thread.contains(slotPrefix) && text.startsWith("Processing messages")) {
                processing = at;
            }
        }
        Map<String, Object> b = new LinkedHashMap<>();
        if (runWanted < 0 || streaming < 0 || processing < 0) {
            b.put("missing", "the worker's log lacks a step of the resume (RUN wanted, streaming slot, Processing messages)");
            return b;
        }
        b.put("controlSeconds", seconds(runWanted - t0));
        b.put("startChecksSeconds", seconds(streaming - runWanted));
        b.put("debeziumStartSeconds", seconds(processing - streaming));
        b.put("firstChangeSeconds", Stats.round(firstRowSeconds - (processing - t0) / 1000.0));
        b.put("redecodedKiB", redecodedKiB);
        return b;
    }

    private static double seconds(long ms) {
        return Stats.round(ms / 1000.0);
    }
}
