package dms.bench;

import java.util.Map;

/** Rounding, quoting and the progress log of the full-dump benchmark. */
final class FullDumpFormat {

    private FullDumpFormat() {
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static double num(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    static void sleep(long ms) {
        JobDriver.pause(ms);
    }

    static void log(String format, Object... args) {
        System.out.printf("%tT full-dump bench: %s%n", System.currentTimeMillis(), String.format(format, args));
    }
}
