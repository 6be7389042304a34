package dms.common.pg;

/** Sizes in PostgreSQL's words ({@code pg_size_pretty}), for messages that sit next to its settings. */
public final class PgSize {

    private static final String[] UNITS = {"bytes", "kB", "MB", "GB", "TB", "PB"};

    private PgSize() {}

    /** 52428800 reads {@code 50 MB}; a unit is used from 10 of it on, as pg_size_pretty does. */
    public static String pretty(long bytes) {
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 10 * 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return Math.round(value) + " " + UNITS[unit];
    }
}
