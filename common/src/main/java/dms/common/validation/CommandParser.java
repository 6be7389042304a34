package dms.common.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dms.common.json.Json;
import dms.common.messages.Command;
import java.util.List;
import java.util.stream.Collectors;

/** Turns a raw command-topic record into a valid {@link Command}, or says why it is not one. */
public final class CommandParser {

    /** Either a command or the reasons it was refused (never both). */
    public record Result(Command command, List<FieldError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }

        public String reason() {
            return errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
        }
    }

    private CommandParser() {}

    /** The path of the first field name or string value holding a NUL character, or null. */
    private static String fieldWithNul(JsonNode node, String path) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0 ? path : null;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = fieldWithNul(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (field.getKey().indexOf('\0') >= 0) {
                return child;
            }
            String found = fieldWithNul(field.getValue(), child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    public static Result parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return new Result(null, List.of(new FieldError("$", "empty record")));
        }
        Command command;
        try {
            JsonNode tree = Json.MAPPER.readTree(raw);
            if (tree == null || !tree.isObject()) {
                return new Result(null, List.of(new FieldError("$", "not a JSON object")));
            }
            String nul = fieldWithNul(tree, "");
            if (nul != null) {
                // PostgreSQL text cannot hold NUL: refuse it here rather than fail later.
                return new Result(null, List.of(new FieldError(nul.isEmpty() ? "$" : nul, "contains a NUL character")));
            }
            command = Json.MAPPER.treeToValue(tree, Command.class);
        } catch (JsonProcessingException e) {
            return new Result(null, List.of(JsonErrors.fieldError(e)));
        }
        return new Result(command, CommandValidator.validate(command));
    }
}
