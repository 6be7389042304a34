package dms.bench;

/** A benchmark run that cannot go on (a job failed, a tool exited non-zero, a timeout): its message says why. */
final class BenchFailure extends RuntimeException {
    BenchFailure(String message) {
        super(message);
    }
}
