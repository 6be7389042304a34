package dms.orchestrator.outbox;

import com.fasterxml.jackson.core.JacksonException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * What the relay does when Kafka did not take a record. A refusal of <em>this record</em> (larger
 * than the message limit, an invalid topic name, a value or headers that cannot be serialized)
 * will not change by sending it again: the record is set aside and the ones after it go on.
 * Anything else (the broker away, a timeout, a leader moving, missing rights) is about the
 * connection, not the record: the outbox waits and sends again in order, so that no record of a
 * key overtakes an earlier one and nothing is dropped while someone fixes the cluster.
 */
public final class SendFailures {

    public enum Decision { RETRY, SET_ASIDE }

    private SendFailures() {}

    public static Decision decide(Throwable failure) {
        for (Throwable t = unwrap(failure); t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException
                    || t instanceof InvalidTopicException || t instanceof InvalidRecordException
                    || t instanceof SerializationException || t instanceof JacksonException) {
                return Decision.SET_ASIDE;
            }
        }
        return Decision.RETRY;
    }

    /** The record is over the size Kafka takes (the producer's max.request.size or the broker's limit). */
    public static boolean tooLarge(Throwable failure) {
        for (Throwable t = unwrap(failure); t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
                return true;
            }
        }
        return false;
    }

    /** What the outbox row and the log say: the exception's class and message. */
    public static String reason(Throwable failure) {
        Throwable t = unwrap(failure);
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
