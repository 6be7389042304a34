package dms.bench;

import dms.devstack.DevStack;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dms.bench.FullDumpDataset.DB;
import static dms.bench.FullDumpFormat.round2;
import static dms.bench.FullDumpFormat.sleep;

/**
 * What the destination server did during a run, read from its statement log ({@code log_min_duration_statement = 0}):
 * the same per-phase view (pre-data, copy, indexes, constraints, sequences) of every tool.
 */
final class DestinationPhases {

    private static final Pattern STATEMENT_LOG = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) UTC \\[\\d+] (\\S*) LOG:  duration: ([\\d.]+) ms  (?:statement|execute [^:]*): (.*)$");
    private static final DateTimeFormatter PG_LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final List<String> PHASES = List.of("preData", "copy", "index", "constraint", "sequences", "vacuum", "other");

    private final DevStack stack;
    private final boolean statementLog;

    DestinationPhases(DevStack stack, boolean statementLog) {
        this.stack = stack;
        this.statementLog = statementLog;
    }

    /**
     * What the destination did during a run, from its statement log: per kind of statement, the first start, the
     * last end (seconds from the run's start), the span and the summed durations. Empty without the statement log.
     */
    Map<String, Object> between(long wallStart, long wallEnd) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!statementLog) {
            return out;
        }
        sleep(300); // the server writes its log line as the statement ends; let the last ones land
        Path logFile = stack.destination().logFile();
        Map<String, double[]> acc = new LinkedHashMap<>(); // kind -> {count, sumMs, firstStartMs, lastEndMs}
        List<double[]> others = new ArrayList<>(); // {start, end} of unclassified statements, split into pre-data later
        double firstCopy = Double.MAX_VALUE;
        List<String[]> statements = new ArrayList<>(); // {end time, duration ms, statement text (all its lines)}
        try (Stream<String> lines = Files.lines(logFile)) {
            String[] current = null;
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher m = STATEMENT_LOG.matcher(line);
                if (m.matches()) {
                    current = DB.equals(m.group(2)) ? new String[] {m.group(1), m.group(3), m.group(4)} : null;
                    if (current != null) {
                        statements.add(current);
                    }
                } else if (current != null && (line.startsWith("\t") || line.startsWith(" ")) && current[2].length() < 2000) {
                    current[2] = current[2] + " " + line.trim(); // a statement's next lines (pg_restore writes ADD CONSTRAINT on the second)
                } else if (!line.startsWith("\t")) {
                    current = null;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            out.put("error", "cannot read " + logFile + ": " + e);
            return out;
        }
        for (String[] st : statements) {
            long end = LocalDateTime.parse(st[0], PG_LOG_TIME).atZone(ZoneId.of("UTC")).toInstant().toEpochMilli();
            double ms = Double.parseDouble(st[1]);
            double start = end - ms;
            if (end < wallStart || start > wallEnd) {
                continue;
            }
            String kind = statementKind(st[2]);
            double s = start - wallStart;
            double e = end - wallStart;
            if (kind.equals("copy")) {
                firstCopy = Math.min(firstCopy, s);
            }
            if (kind.equals("other")) {
                others.add(new double[] {s, e, ms, isDdl(st[2]) ? 1 : 0});
                continue;
            }
            add(acc, kind, s, e, ms);
        }
        for (double[] o : others) {
            add(acc, o[3] == 1 && o[1] <= firstCopy ? "preData" : "other", o[0], o[1], o[2]);
        }
        for (String kind : PHASES) {
            double[] a = acc.get(kind);
            if (a == null) {
                continue;
            }
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("statements", (long) a[0]);
            k.put("fromSeconds", round2(a[2] / 1000));
            k.put("toSeconds", round2(a[3] / 1000));
            k.put("spanSeconds", round2((a[3] - a[2]) / 1000));
            k.put("busySeconds", round2(a[1] / 1000));
            out.put(kind, k);
        }
        return out;
    }

    private static void add(Map<String, double[]> acc, String kind, double start, double end, double ms) {
        double[] a = acc.computeIfAbsent(kind, k -> new double[] {0, 0, Double.MAX_VALUE, -Double.MAX_VALUE});
        a[0]++;
        a[1] += ms;
        a[2] = Math.min(a[2], start);
        a[3] = Math.max(a[3], end);
    }

    static String statementKind(String statement) {
        String s = statement.trim().toUpperCase();
        if (s.startsWith("COPY ") && s.contains("FROM STDIN")) {
            return "copy";
        }
        if (s.startsWith("CREATE INDEX") || s.startsWith("CREATE UNIQUE INDEX")) {
            return "index";
        }
        if (s.startsWith("ALTER TABLE") && s.contains("ADD CONSTRAINT")) {
            return "constraint";
        }
        if (s.contains("SETVAL(")) {
            return "sequences";
        }
        if (s.startsWith("VACUUM") || s.startsWith("ANALYZE")) {
            return "vacuum";
        }
        return "other";
    }

    /** Schema statements (pre-data is CREATE and ALTER of tables, sequences, types, functions; plus comments). */
    private static boolean isDdl(String statement) {
        String s = statement.trim().toUpperCase();
        return s.startsWith("CREATE ") || s.startsWith("ALTER ") || s.startsWith("COMMENT ");
    }

    /** Medians of the per-phase spans and busy times over a tool's runs. */
    static Map<String, Object> median(List<Map<String, Object>> list) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String kind : PHASES) {
            for (String what : List.of("spanSeconds", "busySeconds", "fromSeconds", "toSeconds")) {
                List<Double> v = new ArrayList<>();
                for (Map<String, Object> r : list) {
                    Object p = r.get("destinationPhases") instanceof Map<?, ?> phases && phases.get(kind) instanceof Map<?, ?> k
                            ? k.get(what) : null;
                    if (p instanceof Number n) {
                        v.add(n.doubleValue());
                    }
                }
                if (!v.isEmpty()) {
                    m.put(kind + "." + what, round2(Stats.median(v)));
                }
            }
        }
        return m;
    }
}
