package dms.cli.watch;

/** A progress bar in plain ASCII, so that it draws the same in any terminal and locale. */
final class Bar {

    private Bar() {}

    /** {@code [#####-----]} with {@code width} cells between the brackets; the fraction is clamped to 0..1. */
    static String of(double fraction, int width) {
        double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        int full = (int) Math.floor(f * width);
        return "[" + "#".repeat(full) + "-".repeat(width - full) + "]";
    }
}
