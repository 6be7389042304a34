package dms.orchestrator.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What one round of sends comes to, read in outbox order: the rows Kafka took (deleted), the rows
 * it refused for good (set aside, see {@link SendFailures}), and the first failure worth retrying,
 * where the round stops: that row and every later one stay queued for the next round, so the
 * records of a key still reach Kafka in order.
 *
 * @param retry the failure the round stopped at, or null if every row was decided
 */
public record RelayRound(List<OutboxEntity> sent, List<SetAside> setAside, Throwable retry) {

    public record SetAside(OutboxEntity row, Throwable failure) {}

    /** {@code outcomeOf(i)}: null when Kafka took row i, else why not; asked in order, and not past the first retry. */
    public static RelayRound of(List<OutboxEntity> rows, IntFunction<Throwable> outcomeOf) {
        List<OutboxEntity> sent = new ArrayList<>();
        List<SetAside> setAside = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Throwable failure = outcomeOf.apply(i);
            if (failure == null) {
                sent.add(rows.get(i));
            } else if (SendFailures.decide(failure) == SendFailures.Decision.SET_ASIDE) {
                setAside.add(new SetAside(rows.get(i), failure));
            } else {
                return new RelayRound(sent, setAside, failure);
            }
        }
        return new RelayRound(sent, setAside, null);
    }
}
