package dms.common.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
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

    public static Result parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return new Result(null, List.of(new FieldError("$", "empty record")));
        }
        Command command;
        try {
            command = Json.read(raw, Command.class);
        } catch (JsonProcessingException e) {
            return new Result(null, List.of(JsonErrors.fieldError(e)));
        }
        if (command == null) {
            return new Result(null, List.of(new FieldError("$", "not a JSON object")));
        }
        return new Result(command, CommandValidator.validate(command));
    }
}
