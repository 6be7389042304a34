package dms.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Stream;

/** The end of a log file, to put in an error message where the reader needs it. */
public final class LogTail {
    private LogTail() {
    }

    public static String lastLines(Path file, int count) {
        if (!Files.isReadable(file)) {
            return "(no log at " + file + ")";
        }
        Deque<String> tail = new ArrayDeque<>(count);
        // Lenient decoding: a log cut in the middle of a multi-byte character must still be shown.
        try (Stream<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines()) {
            lines.forEach(line -> {
                if (tail.size() == count) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            });
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
        return "--- last " + tail.size() + " lines of " + file + " ---\n" + String.join("\n", tail);
    }
}
