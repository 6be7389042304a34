package dms.common.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/state-machine.md holds the tables generated from {@link JobStateMachine}; this keeps
 * them equal. To regenerate after changing the tables: {@code mvn -pl common test -Ddms.docs.write=true}.
 */
class StateMachineDocTest {

    private static final String BEGIN = "<!-- generated from JobStateMachine: begin -->\n";
    private static final String END = "<!-- generated from JobStateMachine: end -->";

    @Test
    void docsShowTheTablesTheCodeApplies() throws IOException {
        Path doc = Path.of("..", "docs", "state-machine.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        String generated = JobStateMachine.markdown();
        if (Boolean.getBoolean("dms.docs.write")) {
            text = text.substring(0, begin + BEGIN.length()) + generated + text.substring(end);
            Files.writeString(doc, text, StandardCharsets.UTF_8);
            return;
        }
        assertEquals(generated, text.substring(begin + BEGIN.length(), end),
                "docs/state-machine.md is stale: run mvn -pl common test -Ddms.docs.write=true");
    }
}
