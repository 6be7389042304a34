package dms.cli.watch;

import java.io.File;
import java.util.concurrent.TimeUnit;

/** Whether stdout is a terminal, and how wide it is. */
final class Terminal {
    static final int DEFAULT_WIDTH = 120;

    private Terminal() {}

    /** Java 17: a console exists when stdin and stdout are both terminals; TERM=dumb asks for plain output. */
    static boolean interactive() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    /** $COLUMNS, else {@code stty size} on the controlling terminal, else 120. */
    static int width() {
        String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("\\d{2,4}")) {
            return Integer.parseInt(columns);
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor(2, TimeUnit.SECONDS) && out.matches("\\d+ \\d+")) {
                int width = Integer.parseInt(out.split(" ")[1]);
                return width > 20 ? width : DEFAULT_WIDTH;
            }
        } catch (Exception e) {
            // no stty, or no terminal: the default width
        }
        return DEFAULT_WIDTH;
    }
}
