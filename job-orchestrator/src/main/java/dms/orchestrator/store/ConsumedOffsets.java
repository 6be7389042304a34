package dms.orchestrator.store;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka delivers a record at least once: offsets are committed periodically, so after a broker outage or a
 * restart the records since the last commit come again. Storing each partition's next offset in the same
 * transaction as what its record did makes the effect exactly once. Call both methods inside that transaction.
 */
@ApplicationScoped
public class ConsumedOffsets {

    /** Whether this record (or a later one of its partition) has been applied already. */
    public boolean applied(ConsumerRecord<?, ?> record) {
        List<?> next = em().createNativeQuery("select next_offset from consumed_offset where topic = ?1 and partition_no = ?2")
                .setParameter(1, record.topic()).setParameter(2, record.partition()).getResultList();
        return !next.isEmpty() && record.offset() < ((Number) next.get(0)).longValue();
    }

    /** Records that the partition is applied up to and including this record. */
    public void markApplied(ConsumerRecord<?, ?> record) {
        em().createNativeQuery("insert into consumed_offset (topic, partition_no, next_offset) values (?1, ?2, ?3)"
                        + " on conflict (topic, partition_no) do update set next_offset = greatest(consumed_offset.next_offset, excluded.next_offset)")
                .setParameter(1, record.topic()).setParameter(2, record.partition()).setParameter(3, record.offset() + 1)
                .executeUpdate();
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }
}
