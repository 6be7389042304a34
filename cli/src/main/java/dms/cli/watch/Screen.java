package dms.cli.watch;

import java.io.PrintWriter;
import java.util.List;

/**
 * Redraws a frame in place on a terminal (ANSI): back to the first line of the previous frame,
 * clear to the end of the screen, print the new one. Frames never wrap (JobFrame cuts them to
 * the width), so counting lines is exact.
 */
final class Screen {
    private static final String ESC = "\u001b[";
    private final PrintWriter out;
    private int previousLines;

    Screen(PrintWriter out) {
        this.out = out;
    }

    void draw(List<String> frame) {
        StringBuilder sb = new StringBuilder();
        if (previousLines > 0) {
            sb.append(ESC).append(previousLines).append('F').append(ESC).append('J');
        }
        for (String line : frame) {
            sb.append(line).append('\n');
        }
        out.print(sb);
        out.flush();
        previousLines = frame.size();
    }
}
