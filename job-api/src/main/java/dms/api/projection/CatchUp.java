package dms.api.projection;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The end offsets that existed when reading began: once the consumer's position passes all of
 * them, the projection holds everything written before the start ("rebuilt on start").
 * Positions, not record offsets, because compaction and transaction markers leave gaps.
 */
final class CatchUp {

    private final Map<TopicPartition, Long> targets;

    CatchUp(Map<TopicPartition, Long> targets) {
        this.targets = Map.copyOf(targets);
    }

    boolean reached(Consumer<?, ?> consumer, Duration timeout) {
        for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
            if (consumer.position(target.getKey(), timeout) < target.getValue()) {
                return false;
            }
        }
        return true;
    }
}
