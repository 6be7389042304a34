package dms.api.problems;

import dms.common.messages.ErrorInfo;
import dms.common.messages.Operation;
import dms.common.statemachine.JobAction;
import dms.common.statemachine.JobStateMachine;
import dms.common.statemachine.JobStatus;
import dms.common.validation.FieldError;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The problems the API answers, built in one place so every endpoint words them the same way. */
public final class Problems {

    /** Members of the problem itself, which an error's details must not repeat. */
    private static final Set<String> RESERVED = Set.of("type", "title", "status", "detail", "errors", "code", "operation");

    private Problems() {}

    public static ProblemException invalid(List<FieldError> errors) {
        String detail = errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
        ProblemKind kind = ProblemKind.INVALID_ARGUMENT;
        return new Problem(kind.type(), kind.title(), kind.status(), detail, errors).toException();
    }

    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static ProblemException notFound(String detail) {
        return Problem.of(ProblemKind.NOT_FOUND, detail).toException();
    }

    public static ProblemException alreadyExists(String detail) {
        return Problem.of(ProblemKind.ALREADY_EXISTS, detail).toException();
    }

    public static ProblemException failedPrecondition(String detail) {
        return Problem.of(ProblemKind.FAILED_PRECONDITION, detail).toException();
    }

    public static ProblemException unavailable(String detail) {
        return Problem.of(ProblemKind.UNAVAILABLE, detail).toException();
    }

    /** 409 for an action the job's status does not allow: says the status and what is allowed. */
    public static Problem actionNotAllowed(String what, JobStatus status, JobAction action) {
        return Problem.of(ProblemKind.FAILED_PRECONDITION,
                        "cannot " + action.verb() + " " + what + " in status " + status)
                .with("state", status.state())
                .with("phase", status.phase())
                .with("allowedActions", List.copyOf(JobStateMachine.allowedActions(status)));
    }

    /**
     * The problem for an Operation that finished with an error: the status comes from the
     * canonical code, the details the orchestrator gave (state, phase, allowedActions ...)
     * become extension members, and {@code operation} names it for a later GET.
     */
    public static Problem fromOperation(Operation op) {
        ErrorInfo error = op.error();
        ProblemKind kind = ProblemKind.ofErrorCode(error == null ? null : error.code());
        Problem problem = Problem.of(kind, error == null || error.message() == null ? "the operation failed" : error.message());
        if (error != null && error.details() != null) {
            for (Map.Entry<String, Object> detail : error.details().entrySet()) {
                if (!RESERVED.contains(detail.getKey())) {
                    problem.with(detail.getKey(), detail.getValue());
                }
            }
        }
        if (error != null && error.code() != null) {
            problem.with("code", error.code());
        }
        return problem.with("operation", op.name());
    }
}
