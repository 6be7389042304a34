package dms.orchestrator.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** The audit trail of a job, as JSON of {@link dms.common.messages.JobEvent}. */
@Entity
@Table(name = "job_event")
@IdClass(JobEventEntity.Key.class)
public class JobEventEntity extends PanacheEntityBase {
    @Id
    @jakarta.persistence.Column(name = "job_id")
    public String jobId;
    @Id
    public long sequence;
    public String document;
    public Instant time;

    public static final class Key implements Serializable {
        public String jobId;
        public long sequence;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(jobId, k.jobId) && sequence == k.sequence;
        }

        @Override
        public int hashCode() {
            return Objects.hash(jobId, sequence);
        }
    }
}
