package dms.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Summary of a series of durations in milliseconds: nearest-rank percentiles, max, mean. */
record Stats(int n, double min, double p50, double p90, double p99, double max, double mean) {

    static Stats ofMillis(Collection<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).toArray();
        if (v.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        Arrays.sort(v);
        return new Stats(v.length, v[0], rank(v, 0.50), rank(v, 0.90), rank(v, 0.99), v[v.length - 1],
                Arrays.stream(v).average().orElse(Double.NaN));
    }

    /** Nearest rank: the smallest value with at least p of the values at or below it. */
    private static double rank(double[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 100.0) / 100.0;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("min", round(min));
        m.put("p50", round(p50));
        m.put("p90", round(p90));
        m.put("p99", round(p99));
        m.put("max", round(max));
        m.put("mean", round(mean));
        return m;
    }

    String row(String label) {
        return String.format("%-46s %6d %8.2f %8.2f %8.2f %8.2f %8.2f", label, n, p50, p90, p99, max, mean);
    }

    static String header(String label) {
        return String.format("%-46s %6s %8s %8s %8s %8s %8s", label, "n", "p50", "p90", "p99", "max", "mean");
    }

    /** The median (the mean of the two middle values for an even count); NaN when empty. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> v = values.stream().sorted().toList();
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
