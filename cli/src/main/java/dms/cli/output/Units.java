package dms.cli.output;

import java.util.Locale;

/** Numbers as people read them: 1,234,567 rows, 45.1 MB, 1m 05s. */
public final class Units {

    private Units() {}

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Decimal units (kB = 1000 bytes), one decimal above bytes. */
    public static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double v = n;
        int i = -1;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    public static String seconds(long s) {
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }

    public static String decimal(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
