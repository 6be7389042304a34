package dms.orchestrator.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A command's result; its name (operations/&lt;commandId&gt;) is what makes commands idempotent. */
@Entity
@Table(name = "operation")
public class OperationEntity extends PanacheEntityBase {
    @Id
    public String name;
    @Column(name = "command_type")
    public String commandType;
    public String target;
    public boolean done;
    /** The Operation as JSON, exactly as published. */
    public String document;
    @Column(name = "create_time")
    public Instant createTime;
}
