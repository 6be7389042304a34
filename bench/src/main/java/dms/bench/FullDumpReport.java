package dms.bench;

import dms.devstack.DevStack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dms.bench.FullDumpFormat.num;
import static dms.bench.FullDumpFormat.round1;
import static dms.bench.FullDumpFormat.round2;
import static dms.bench.FullDumpFormat.round3;

/**
 * The results of a run: per tool the summary of its runs, ours against each anchor (ratios, goals), the medians of
 * our breakdown and of the destination's phases, the notes that say how to read them, and the printed table.
 */
final class FullDumpReport {

    static final double GOAL_VS_PGCOPYDB = 1.0;
    static final double GOAL_VS_LIMIT = 1.25;

    private final FullDumpOptions options;
    /** Tool (ours, ours:VARIANT, pgcopydb, pgdump, limit) to its runs, in order. */
    private final Map<String, List<Map<String, Object>>> runs;

    FullDumpReport(FullDumpOptions options, Map<String, List<Map<String, Object>>> runs) {
        this.options = options;
        this.runs = runs;
    }

    /** Adds the summaries, ratios, goals, medians, runs and notes to {@code result}; returns the table to print. */
    List<String> complete(Map<String, Object> result) {
        Map<String, Object> summary = new LinkedHashMap<>();
        runs.forEach((tool, list) -> summary.put(tool, summary(list)));
        result.put("summary", summary);
        Map<String, Object> ratios = ratios();
        result.put("ratios", ratios);
        result.put("goals", goals());
        Map<String, Object> breakdowns = new LinkedHashMap<>();
        runs.forEach((tool, list) -> {
            if (tool.startsWith("ours")) {
                breakdowns.put(tool, WorkerLogBreakdown.median(list));
            }
        });
        if (breakdowns.containsKey("ours")) {
            result.put("oursBreakdownMedian", breakdowns.get("ours"));
        }
        result.put("breakdownMedians", breakdowns);
        Map<String, Object> phases = new LinkedHashMap<>();
        runs.forEach((tool, list) -> phases.put(tool, DestinationPhases.median(list)));
        result.put("destinationPhaseMedians", phases);
        result.put("runs", runs);
        result.put("notes", List.of(
                "seconds: wall time of the whole migration of the data set into a fresh destination database, schema and"
                        + " indexes included; ours: from the :start call until GET shows RUNNING/CDC",
                "median of an even count is the mean of the middle two",
                "run cores / CPU s: CPU used by this run's processes (bench and its tools, broker, services, PostgreSQL"
                        + " servers and backends) during the timed run, in cores and in CPU seconds; on a shared machine the CPU"
                        + " seconds compare tools' work better than wall time",
                "machineLoad: CPU used during the run, in cores: machine, this run (bench JVM and its children, broker,"
                        + " services, PostgreSQL) and other processes; otherCores above ~0.1 means a shared machine slowed the run",
                "limit: two parallel psql COPY (FORMAT binary) pipelines between pre-data (pg_dump | psql) and post-data"
                        + " (pg_dump -Fc --section=post-data, pg_restore -j 2); "
                        + (options.limitSplit() ? "each stream half of every big table by primary key (--limit-split)"
                        : "whole tables, biggest first onto the less loaded stream, each TRUNCATE + COPY FREEZE in one transaction"),
                "destinationPhases: from the destination server's statement log (log_min_duration_statement = 0), seconds"
                        + " from the run's start: for each kind of statement (preData: CREATE/ALTER/COMMENT before the first COPY; copy: COPY FROM"
                        + " STDIN; index: CREATE INDEX; constraint: ALTER TABLE ADD CONSTRAINT (primary keys build their index"
                        + " here); sequences: setval; vacuum: VACUUM/ANALYZE) the first start, last end, span and the sum of"
                        + " the statements' durations (busy seconds; above the span when statements ran in parallel)"));
        return table(result);
    }

    static Map<String, Object> summary(List<Map<String, Object>> list) {
        Map<String, Object> s = new LinkedHashMap<>();
        List<Double> secs = list.stream().map(r -> (Double) r.get("seconds")).toList();
        s.put("n", secs.size());
        s.put("minSeconds", round2(Stats.min(secs)));
        s.put("medianSeconds", round2(Stats.median(secs)));
        s.put("seconds", secs);
        for (String part : List.of("dumpSeconds", "restoreSeconds", "preDataSeconds", "copySeconds", "postDataSeconds")) {
            List<Double> v = list.stream().filter(r -> r.containsKey(part)).map(r -> (Double) r.get(part)).toList();
            if (!v.isEmpty()) {
                s.put(part + "Median", round2(Stats.median(v)));
            }
        }
        s.put("allVerified", list.stream().allMatch(r -> Boolean.TRUE.equals(((Map<?, ?>) r.get("verification")).get("equal"))));
        // CPU seconds this run's processes spent: the work a tool needs, much less sensitive than wall time to what
        // else the machine runs (on a shared, saturated machine, wall time is roughly this over the cores we got).
        s.put("medianRunCpuSeconds", round1(Stats.median(list.stream()
                .map(r -> ((Number) ((Map<?, ?>) r.get("machineLoad")).get("thisRunCores")).doubleValue() * (Double) r.get("seconds"))
                .toList())));
        s.put("medianRunCores", round2(Stats.median(list.stream()
                .map(r -> ((Number) ((Map<?, ?>) r.get("machineLoad")).get("thisRunCores")).doubleValue()).toList())));
        s.put("maxOtherCores", list.stream().mapToDouble(r -> ((Number) ((Map<?, ?>) r.get("machineLoad")).get("otherCores")).doubleValue())
                .max().orElse(Double.NaN));
        return s;
    }

    Map<String, Object> ratios() {
        Map<String, Object> ratios = new LinkedHashMap<>();
        for (String ours : runs.keySet()) {
            if (!ours.startsWith("ours")) {
                continue;
            }
            double oursMedian = Stats.median(secondsOf(ours));
            double oursMin = Stats.min(secondsOf(ours));
            for (String other : List.of("pgcopydb", "pgdump", "limit")) {
                if (runs.containsKey(other)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("median", round3(oursMedian / Stats.median(secondsOf(other))));
                    m.put("min", round3(oursMin / Stats.min(secondsOf(other))));
                    ratios.put(ours + "/" + other, m);
                }
            }
        }
        return ratios;
    }

    Map<String, Object> goals() {
        Map<String, Object> g = new LinkedHashMap<>();
        if (runs.containsKey("ours") && runs.containsKey("pgcopydb")) {
            double r = Stats.median(secondsOf("ours")) / Stats.median(secondsOf("pgcopydb"));
            g.put("atLeastAsFastAsPgcopydb", Map.of("goal", "ours/pgcopydb <= " + GOAL_VS_PGCOPYDB, "medianRatio", round3(r),
                    "met", r <= GOAL_VS_PGCOPYDB));
        }
        if (runs.containsKey("ours") && runs.containsKey("limit")) {
            double r = Stats.median(secondsOf("ours")) / Stats.median(secondsOf("limit"));
            g.put("within125OfLimit", Map.of("goal", "ours/limit <= " + GOAL_VS_LIMIT, "medianRatio", round3(r),
                    "met", r <= GOAL_VS_LIMIT));
        }
        return g;
    }

    private List<Double> secondsOf(String tool) {
        return runs.get(tool).stream().map(r -> (Double) r.get("seconds")).toList();
    }

    List<String> table(Map<String, Object> result) {
        List<String> lines = new ArrayList<>();
        Map<?, ?> dataset = (Map<?, ?>) result.get("dataset");
        lines.add(String.format("== full dump of %s MB (pgbench -s %d + wide %d rows%s), %s ==", dataset.get("databaseMB"),
                options.scale(), options.wideRows(), options.smallTables() > 0 ? " + " + options.smallTables() + " small tables" : "",
                ((Map<?, ?>) result.get("machine")).get("summary")));
        lines.add(String.format("%-44s %3s %8s %9s %10s %10s %9s %11s %8s", "tool", "n", "min s", "median s", "ours/tool",
                "verified", "run cores", "other cores", "CPU s"));
        double oursMedian = runs.containsKey("ours") ? Stats.median(secondsOf("ours")) : Double.NaN;
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("ours", "ours (dumpParallelism " + options.parallelism() + ")");
        for (FullDumpOptions.Variant v : options.variants()) {
            labels.put("ours:" + v.label(), "ours:" + v.label() + " " + variantText(v));
        }
        labels.put("pgcopydb", "pgcopydb clone (2 table, 2 index jobs)");
        labels.put("pgdump", "pg_dump -Fd -j2 + pg_restore -j2");
        labels.put("limit", "limit: 2 COPY streams + post-data");
        Map<?, ?> summaries = (Map<?, ?>) result.get("summary");
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!runs.containsKey(e.getKey())) {
                continue;
            }
            List<Double> s = secondsOf(e.getKey());
            Map<?, ?> sum = (Map<?, ?>) summaries.get(e.getKey());
            String label = e.getValue().length() > 44 ? e.getValue().substring(0, 44) : e.getValue();
            lines.add(String.format("%-44s %3d %8.1f %9.1f %10s %10s %9.2f %11.2f %8.1f", label, s.size(), Stats.min(s), Stats.median(s),
                    e.getKey().equals("ours") ? "" : String.format("%.2f", oursMedian / Stats.median(s)), sum.get("allVerified"),
                    num(sum, "medianRunCores"), num(sum, "maxOtherCores"), num(sum, "medianRunCpuSeconds")));
        }
        if (runs.containsKey("pgdump")) {
            Map<?, ?> sum = (Map<?, ?>) summaries.get("pgdump");
            lines.add(String.format("  pg_dump median %.1f s, pg_restore median %.1f s", num(sum, "dumpSecondsMedian"),
                    num(sum, "restoreSecondsMedian")));
        }
        if (runs.containsKey("limit")) {
            Map<?, ?> sum = (Map<?, ?>) summaries.get("limit");
            lines.add(String.format("  limit medians: pre-data %.1f s, copy %.1f s, post-data %.1f s", num(sum, "preDataSecondsMedian"),
                    num(sum, "copySecondsMedian"), num(sum, "postDataSecondsMedian")));
        }
        if (result.containsKey("oursBreakdownMedian")) {
            Map<?, ?> b = (Map<?, ?>) result.get("oursBreakdownMedian");
            lines.add(String.format("  ours medians: prepare %.1f s (worker %.1f s), copy %.1f s (%.0f MB/s), post-data %.1f s"
                            + " (worker %.1f s), post-data end to RUNNING/CDC seen %.1f s", num(b, "prepareMs") / 1000,
                    num(b, "prepareWorkerMs") / 1000, num(b, "copyMs") / 1000, num(b, "copyMBPerSecond"), num(b, "postDataMs") / 1000,
                    num(b, "postDataWorkerMs") / 1000, num(b, "postDataEndToRunningCdcMs") / 1000));
        }
        runs.forEach((tool, list) -> {
            if (tool.startsWith("ours")) {
                for (int i = 0; i < list.size(); i++) {
                    lines.addAll(WorkerLogBreakdown.describe(tool + " run " + (i + 1), (Map<?, ?>) list.get(i).get("breakdown")));
                }
            }
        });
        Map<?, ?> phases = (Map<?, ?>) result.get("destinationPhaseMedians");
        if (phases != null && !phases.isEmpty()) {
            lines.add("  destination, median span (busy) in s:  pre-data      copy           index         constraint    sequences");
            for (Map.Entry<?, ?> e : phases.entrySet()) {
                Map<?, ?> p = (Map<?, ?>) e.getValue();
                StringBuilder sb = new StringBuilder(String.format("  %-38s", e.getKey()));
                for (String kind : List.of("preData", "copy", "index", "constraint", "sequences")) {
                    sb.append(String.format("%6.1f (%5.1f) ", num(p, kind + ".spanSeconds"), num(p, kind + ".busySeconds")));
                }
                lines.add(sb.toString().replace("NaN", "  - "));
            }
        }
        Map<?, ?> goals = (Map<?, ?>) result.get("goals");
        goals.forEach((k, v) -> lines.add("  goal " + k + ": " + v));
        lines.add("  CPU per run (cores, this run / others):");
        runs.forEach((tool, list) -> lines.add("    " + tool + ": " + list.stream().map(r -> {
            Map<?, ?> m = (Map<?, ?>) r.get("machineLoad");
            return String.format("%.1f s %.2f/%.2f", (Double) r.get("seconds"), num(m, "thisRunCores"), num(m, "otherCores"));
        }).collect(Collectors.joining(", "))));
        return lines;
    }

    private static String variantText(FullDumpOptions.Variant v) {
        List<String> parts = new ArrayList<>();
        if (v.parallelism() != null) {
            parts.add(v.parallelism());
        }
        v.workerProperties().forEach((k, val) -> parts.add(k.replace("dms.dump.", "") + "=" + val));
        v.orchestratorProperties().forEach((k, val) -> parts.add(k.replace("dms.dump.", "") + "=" + val));
        return String.join(" ", parts);
    }

    static Map<String, Object> settings(DevStack stack, FullDumpOptions options) {
        Map<String, Object> s = new LinkedHashMap<>();
        int cores = Runtime.getRuntime().availableProcessors();
        s.put("dumpParallelism", options.parallelism() + " (copies in flight per job: MIN 1, OPTIMAL cores / 2 = " + Math.max(1, cores / 2)
                + ", MAX 2 x cores; post-data pg_restore -j: MIN 1, OPTIMAL cores = " + cores + ", MAX 2 x cores)");
        s.put("dumpWorker", "one instance; defaults dms.dump.max-concurrent-tasks=4, dms.dump.range-bytes=8 GiB, dms.dump.min-range-bytes=64 MiB, dms.dump.indexes-after-copy=true; set here: "
                + options.workerProperties());
        s.put("orchestrator", "set here: " + options.orchestratorProperties());
        s.put("pgcopydb", "pgcopydb clone --table-jobs 2 --index-jobs 2 " + String.join(" ", options.pgcopydbFlags()));
        s.put("clusters", "PostgreSQL " + stack.source().queryForString("postgres", "SHOW server_version")
                + ", devstack defaults (fsync=off, shared_buffers " + stack.source().queryForString("postgres", "SHOW shared_buffers")
                + ", maintenance_work_mem " + stack.destination().queryForString("postgres", "SHOW maintenance_work_mem")
                + ", max_wal_size " + stack.destination().queryForString("postgres", "SHOW max_wal_size") + "); source wal_level=logical");
        s.put("order", "per repetition: " + String.join(", ", options.tools()) + "; each into a fresh destination database, after"
                + " a CHECKPOINT of both servers");
        return s;
    }
}
