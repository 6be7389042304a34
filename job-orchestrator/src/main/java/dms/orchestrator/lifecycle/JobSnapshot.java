package dms.orchestrator.lifecycle;

import dms.common.messages.DumpParallelism;
import dms.common.messages.RoleHandling;
import dms.common.statemachine.JobStatus;
import dms.orchestrator.dump.CopyUnitEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@link Lifecycle#decide} reads of a job: its status and run, its databases and its
 * copy units. Loaded from the control database by {@link SnapshotStore}, built by hand in tests;
 * decide() changes a copy of it, never the one it is given.
 */
public final class JobSnapshot {

    public final String id;
    public JobStatus status;
    /** Grows on start, restart and resume; reports and tasks of an older run are ignored. */
    public long runEpoch;
    public String errorCode;
    public String errorMessage;
    /** When the running promote gives up if a database has not finished its drain. */
    public Instant promoteDeadline;
    public String displayName;
    /** What the user asked for; empty = every database of the source. */
    public List<String> requestedDatabases;
    public DumpParallelism dumpParallelism;
    /** The roles setting (null: the default); read by the dump-worker from the job document when it prepares a database. */
    public RoleHandling roles;
    /** The consent to set REPLICA IDENTITY FULL on tables without key nor identity; read by the dump-worker when it prepares a database. */
    public boolean replicaIdentityFull;
    /** Replication groups per database; carried in the prepare task of each database. */
    public int cdcParallelism = 1;
    /** The job's databases, in name order. */
    public final List<DatabaseSnapshot> databases;
    /** Every copy unit of the job, of whichever run. */
    public final List<UnitSnapshot> units;

    public JobSnapshot(String id, JobStatus status, long runEpoch, String errorCode, String errorMessage, Instant promoteDeadline,
                       String displayName, List<String> requestedDatabases, DumpParallelism dumpParallelism,
                       List<DatabaseSnapshot> databases, List<UnitSnapshot> units) {
        this.id = id;
        this.status = status;
        this.runEpoch = runEpoch;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.promoteDeadline = promoteDeadline;
        this.displayName = displayName;
        this.requestedDatabases = requestedDatabases;
        this.dumpParallelism = dumpParallelism;
        this.databases = new ArrayList<>(databases);
        this.units = new ArrayList<>(units);
    }

    public Optional<DatabaseSnapshot> database(String name) {
        return databases.stream().filter(db -> db.name.equals(name)).findFirst();
    }

    public List<UnitSnapshot> units(String database) {
        return units.stream().filter(u -> u.database.equals(database)).toList();
    }

    /** Copy tasks in flight, of any run (a worker may still be copying a unit of an earlier one); a bundle is one. */
    public long inFlight() {
        return units.stream().filter(u -> u.state == CopyUnitEntity.State.COPYING).map(u -> u.database + "#" + u.taskUnitNo())
                .distinct().count();
    }

    JobSnapshot copy() {
        JobSnapshot copy = new JobSnapshot(id, status, runEpoch, errorCode, errorMessage, promoteDeadline, displayName, requestedDatabases,
                dumpParallelism, databases.stream().map(DatabaseSnapshot::copy).toList(), units.stream().map(UnitSnapshot::copy).toList());
        copy.roles = roles;
        copy.replicaIdentityFull = replicaIdentityFull;
        copy.cdcParallelism = cdcParallelism;
        return copy;
    }
}
