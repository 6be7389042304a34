package dms.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line options; see {@code --help}. */
record FullDumpOptions(int reps, int variantRuns, List<String> tools, int scale, int wideRows, int smallTables, long minDbMb, boolean keep,
               Path out, String parallelism, List<String> pgcopydbFlags, Map<String, String> workerProperties,
               Map<String, String> orchestratorProperties, List<Variant> variants, boolean statementLog,
               int quietWaitSeconds, boolean limitSplit, boolean warmUp) {
    static FullDumpOptions parse(String[] args) {
        int reps = 3;
        int variantRuns = 1;
        List<String> tools = ALL_TOOLS;
        int scale = 20;
        int wideRows = 1_000_000;
        int smallTables = 0;
        Long minDbMb = null;
        boolean keep = false;
        Path out = null;
        String parallelism = "OPTIMAL";
        List<String> pgcopydbFlags = List.of("--no-owner");
        Map<String, String> workerProperties = new LinkedHashMap<>();
        Map<String, String> orchestratorProperties = new LinkedHashMap<>();
        List<Variant> variants = new ArrayList<>(List.of(Variant.parse("max:parallelism=MAX")));
        boolean variantsGiven = false;
        boolean statementLog = true;
        int quietWait = 45;
        boolean limitSplit = false;
        boolean warmUp = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--variant-runs", "--max-runs" -> variantRuns = Integer.parseInt(args[++i]);
                case "--tools" -> tools = Arrays.stream(args[++i].split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                case "--scale" -> scale = Integer.parseInt(args[++i]);
                case "--wide-rows" -> wideRows = Integer.parseInt(args[++i]);
                case "--small-tables" -> smallTables = Integer.parseInt(args[++i]);
                case "--min-db-mb" -> minDbMb = Long.parseLong(args[++i]);
                case "--parallelism" -> parallelism = args[++i].toUpperCase();
                case "--pgcopydb-flags" -> pgcopydbFlags = Arrays.stream(args[++i].split(" ")).filter(s -> !s.isBlank()).toList();
                case "--worker-prop", "--worker-property" -> putProperty(workerProperties, args[++i]);
                case "--orchestrator-prop", "--orchestrator-property" -> putProperty(orchestratorProperties, args[++i]);
                case "--variant" -> {
                    if (!variantsGiven) {
                        variants.clear();
                        variantsGiven = true;
                    }
                    String v = args[++i];
                    if (!v.equals("none")) {
                        variants.add(Variant.parse(v));
                    }
                }
                case "--no-statement-log" -> statementLog = false;
                case "--quiet-wait" -> quietWait = Integer.parseInt(args[++i]);
                case "--limit-split" -> limitSplit = true;
                case "--no-warm-up" -> warmUp = false;
                case "--keep" -> keep = true;
                case "--out" -> out = Path.of(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("""
                            usage: FullDumpBench [--reps 3] [--tools ours,pgcopydb,pgdump,limit] [--scale 20 (pgbench)]
                                     [--wide-rows 1000000] [--min-db-mb 500 (0 unless scale and wide rows are the defaults)]
                                     [--small-tables 0 (that many more tables of 20 rows, a key and an index each)]
                                     [--parallelism OPTIMAL (ours: the job's dumpParallelism)]
                                     [--worker-prop dms.dump.range-bytes=67108864 ...] (the dump-worker's settings)
                                     [--orchestrator-prop dms.dump.worker-cores=3 ...] (the orchestrator's settings)
                                     [--variant LABEL:parallelism=MAX,dms.dump.range-bytes=67108864,orchestrator.dms.dump.worker-cores=3 ...]
                                         more runs of ours after the repetitions, each with its settings on top of the
                                         above (default: one variant max:parallelism=MAX; --variant none for none)
                                     [--variant-runs 1 (runs per variant)]
                                     [--pgcopydb-flags '--no-owner' (added to clone --table-jobs 2 --index-jobs 2)]
                                     [--no-statement-log (no destination statement log, no per-phase times from it)]
                                     [--limit-split (the limit halves big tables by key; default: whole tables, FREEZE)]
                                     [--no-warm-up (no untimed small job after a dump-worker starts)]
                                     [--quiet-wait 45 (before each timed run, wait up to this many seconds for
                                         other processes to use less than 0.2 cores; 0: do not wait)]
                                     [--keep (keep the work dir: services' and tools' logs)] [--out FILE.json]""");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        for (String t : tools) {
            if (!ALL_TOOLS.contains(t)) {
                throw new IllegalArgumentException("unknown tool " + t + "; known: " + ALL_TOOLS);
            }
        }
        if (minDbMb == null) {
            // The data set must be at least 500 MB; a smaller smoke run takes what it gets.
            minDbMb = scale >= 20 && wideRows >= 1_000_000 ? 500L : 0L;
        }
        if (!tools.contains("ours")) {
            variants.clear();
        }
        return new FullDumpOptions(reps, variantRuns, tools, scale, wideRows, smallTables, minDbMb, keep, out, parallelism, pgcopydbFlags,
                workerProperties, orchestratorProperties, variants, statementLog, quietWait, limitSplit, warmUp);
    }

    private static void putProperty(Map<String, String> into, String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected key=value: " + keyValue);
        }
        into.put(keyValue.substring(0, eq).trim(), keyValue.substring(eq + 1).trim());
    }

    static final List<String> ALL_TOOLS = List.of("ours", "pgcopydb", "pgdump", "limit");

    /**
     * Extra runs of ours with other settings: {@code parallelism=LEVEL} (the job's dumpParallelism), dump-worker
     * properties ({@code dms.dump.range-bytes=...}) and orchestrator properties prefixed {@code orchestrator.}
     * ({@code orchestrator.dms.dump.worker-cores=3}). The services are restarted with them for the variant's runs.
     */
    record Variant(String label, String parallelism, Map<String, String> workerProperties, Map<String, String> orchestratorProperties) {
        static Variant parse(String spec) {
            int colon = spec.indexOf(':');
            String label = colon < 0 ? spec : spec.substring(0, colon);
            String parallelism = null;
            Map<String, String> worker = new LinkedHashMap<>();
            Map<String, String> orchestrator = new LinkedHashMap<>();
            if (colon >= 0) {
                for (String kv : spec.substring(colon + 1).split(",")) {
                    if (kv.isBlank()) {
                        continue;
                    }
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("variant " + label + ": expected key=value, got " + kv);
                    }
                    String k = kv.substring(0, eq).trim();
                    String v = kv.substring(eq + 1).trim();
                    if (k.equals("parallelism")) {
                        parallelism = v.toUpperCase();
                    } else if (k.startsWith("orchestrator.")) {
                        orchestrator.put(k.substring("orchestrator.".length()), v);
                    } else {
                        worker.put(k, v);
                    }
                }
            }
            if (!label.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("variant label must be letters, digits, - or _: " + label);
            }
            return new Variant(label, parallelism, worker, orchestrator);
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", label);
            if (parallelism != null) {
                m.put("dumpParallelism", parallelism);
            }
            if (!workerProperties.isEmpty()) {
                m.put("dumpWorkerProperties", workerProperties);
            }
            if (!orchestratorProperties.isEmpty()) {
                m.put("orchestratorProperties", orchestratorProperties);
            }
            return m;
        }
    }
}
