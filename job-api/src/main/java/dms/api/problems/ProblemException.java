package dms.api.problems;

/** Ends a request with a problem document; thrown by resources, rendered by {@link ProblemMappers}. */
public final class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.getTitle() + ": " + problem.getDetail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
