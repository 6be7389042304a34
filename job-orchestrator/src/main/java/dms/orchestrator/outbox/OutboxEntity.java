package dms.orchestrator.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A Kafka record waiting to be sent; written in the transaction that made it true. */
@Entity
@Table(name = "outbox")
public class OutboxEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String topic;
    @Column(name = "record_key")
    public String recordKey;
    /** The record value as sent (UTF-8 JSON, or a dead letter's original bytes); {@code null} is a tombstone. */
    public byte[] payload;
    @Column(name = "headers_json")
    public String headersJson;
    /** Set when Kafka refused the record for good ({@link SendFailures}): it is kept, not sent again. */
    @Column(name = "failed_time")
    public Instant failedTime;
    /** Why Kafka refused it. */
    public String failure;
}
