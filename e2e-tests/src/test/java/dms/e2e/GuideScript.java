package dms.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fenced {@code bash} blocks of a Markdown guide, by the section ({@code ## 3. ...}) they are
 * in, so that a test can run them as a reader would, in order.
 */
final class GuideScript {
    private final Map<String, List<String>> blocks;

    private GuideScript(Map<String, List<String>> blocks) {
        this.blocks = blocks;
    }

    static GuideScript read(Path markdown) {
        Map<String, List<String>> blocks = new LinkedHashMap<>();
        String section = "";
        StringBuilder block = null;
        try {
            for (String line : Files.readAllLines(markdown)) {
                if (block != null) {
                    if (line.startsWith("```")) {
                        blocks.computeIfAbsent(section, s -> new ArrayList<>()).add(block.toString());
                        block = null;
                    } else {
                        block.append(line).append('\n');
                    }
                } else if (line.startsWith("## ")) {
                    section = line.substring(3).replaceFirst("^(\\d+)\\..*", "$1");
                } else if (line.equals("```bash")) {
                    block = new StringBuilder();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new GuideScript(blocks);
    }

    /** The blocks of a section ("3" for "## 3. Connection profiles"). */
    List<String> section(String number) {
        List<String> found = blocks.get(number);
        if (found == null) {
            throw new IllegalArgumentException("no bash block in section " + number + " (sections: " + blocks.keySet() + ")");
        }
        return found;
    }

    int blockCount() {
        return blocks.values().stream().mapToInt(List::size).sum();
    }

    /** {@code export NAME='value'} lines, single quotes escaped. */
    static String exports(Map<String, String> values) {
        return values.entrySet().stream().map(e -> "export " + e.getKey() + "='" + e.getValue().replace("'", "'\\''") + "'")
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
