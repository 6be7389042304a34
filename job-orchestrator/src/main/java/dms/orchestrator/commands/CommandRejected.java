package dms.orchestrator.commands;

import dms.common.messages.ErrorInfo;
import java.util.Map;

/**
 * A command that cannot be applied. Thrown inside the unit of work (which rolls back); the
 * handler then records the error Operation, and sends the record to the dead-letter queue
 * when it was not a usable command at all ({@code deadLetter}).
 */
public class CommandRejected extends RuntimeException {
    private final ErrorInfo error;
    private final boolean deadLetter;

    private CommandRejected(ErrorInfo error, boolean deadLetter) {
        super(error.message(), null, false, false);
        this.error = error;
        this.deadLetter = deadLetter;
    }

    public ErrorInfo error() {
        return error;
    }

    public boolean deadLetter() {
        return deadLetter;
    }

    /** Names a job or profile that does not exist: the record is dead-lettered. */
    public static CommandRejected notFound(String message) {
        return new CommandRejected(ErrorInfo.of(ErrorInfo.NOT_FOUND, message), true);
    }

    public static CommandRejected invalid(String message) {
        return new CommandRejected(ErrorInfo.of(ErrorInfo.INVALID_ARGUMENT, message), true);
    }

    public static CommandRejected alreadyExists(String message) {
        return new CommandRejected(ErrorInfo.of(ErrorInfo.ALREADY_EXISTS, message), false);
    }

    /** The orchestrator failed to apply it (a bug, or a state it cannot handle): dead-lettered to be looked at. */
    public static CommandRejected internal(String message) {
        return new CommandRejected(ErrorInfo.of(ErrorInfo.INTERNAL, message), true);
    }

    /** A server the command needs does not answer or refuses the connection: a passing state, not a bad record. */
    public static CommandRejected unavailable(String message, Map<String, Object> details) {
        return new CommandRejected(new ErrorInfo(ErrorInfo.UNAVAILABLE, message, details), false);
    }

    /** Valid command, wrong moment (e.g. an action not allowed in the job's status). */
    public static CommandRejected precondition(String message, Map<String, Object> details) {
        return new CommandRejected(new ErrorInfo(ErrorInfo.FAILED_PRECONDITION, message, details), false);
    }
}
