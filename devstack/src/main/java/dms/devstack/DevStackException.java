package dms.devstack;

/** A local process (PostgreSQL, Kafka, a service) could not be started, stopped or reached. */
public class DevStackException extends RuntimeException {
    public DevStackException(String message) {
        super(message);
    }

    public DevStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
