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

    /**
     * Whether this record has been applied already: its offset is before the partition's next one and it is not
     * newer than the newest applied. (A topic deleted and made again starts its offsets over; its records are
     * newer than anything applied, so they are not mistaken for ones delivered again.)
     */
    public boolean applied(ConsumerRecord<?, ?> record) {
        List<?> rows = em().createNativeQuery(
                        "select next_offset, newest_timestamp from consumed_offset where topic = ?1 and partition_no = ?2")
                .setParameter(1, record.topic()).setParameter(2, record.partition()).getResultList();
        if (rows.isEmpty()) {
            return false;
        }
        Object[] row = (Object[]) rows.get(0);
        return record.offset() < ((Number) row[0]).longValue() && record.timestamp() <= ((Number) row[1]).longValue();
    }

    /** Records that the partition is applied up to and including this record. */
    public void markApplied(ConsumerRecord<?, ?> record) {
        em().createNativeQuery("insert into consumed_offset (topic, partition_no, next_offset, newest_timestamp)"
                        + " values (?1, ?2, ?3, ?4) on conflict (topic, partition_no) do update set next_offset = excluded.next_offset,"
                        + " newest_timestamp = greatest(consumed_offset.newest_timestamp, excluded.newest_timestamp)")
                .setParameter(1, record.topic()).setParameter(2, record.partition()).setParameter(3, record.offset() + 1)
                .setParameter(4, record.timestamp())
                .executeUpdate();
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }
}
