package dms.orchestrator.lifecycle;

import dms.common.json.Json;
import dms.common.kafka.Topics;
import dms.common.messages.CdcControl;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.CopyUnit;
import dms.common.messages.DumpTask;
import dms.common.messages.MigrationJob;
import dms.common.messages.ReplicationNames;
import dms.common.messages.RoleHandling;
import dms.orchestrator.metrics.TaskMetrics;
import dms.orchestrator.outbox.Outbox;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.JobDocuments;
import dms.orchestrator.store.JobEvents;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Writes a decision's messages to the outbox, in the order decided, with the job's connection
 * profiles as stored now: they are sent if and only if the decision is committed.
 */
@ApplicationScoped
public class EffectOutbox {

    @Inject
    Outbox outbox;
    @Inject
    Topics topics;
    @Inject
    JobEvents events;
    @Inject
    JobDocuments documents;
    @Inject
    TaskMetrics metrics;

    /** Returns the last job document published, or null. */
    public MigrationJob send(MigrationJobEntity job, Iterable<Effect> effects) {
        Profiles profiles = new Profiles(job);
        MigrationJob published = null;
        for (Effect effect : effects) {
            if (effect instanceof Effect.DatabaseTask t) {
                dumpTask(DumpTask.forDatabase(t.kind(), profiles.target(t.database(), t.attempt()), t.purgeDestination(), t.parallelism(),
                        job.roles, job.replicaIdentityFull ? Boolean.TRUE : null, job.cdcParallelism > 1 ? job.cdcParallelism : null));
            } else if (effect instanceof Effect.NewSnapshot s) {
                dumpTask(new DumpTask.NewSnapshot(profiles.target(s.database(), s.attempt()), s.recopy()));
            } else if (effect instanceof Effect.Copy copy) {
                dumpTask(new DumpTask.CopyTable(profiles.target(copy.database(), copy.attempt()), copy.snapshotName(), copy.syncLsn(),
                        unit(copy.unitJson()), copy.bundle().stream().map(b -> new DumpTask.BundledUnit(unit(b.unitJson()), b.attempt())).toList()));
            } else if (effect instanceof Effect.Cdc cdc) {
                CdcControl control = new CdcControl(job.id, cdc.database(), job.runEpoch, cdc.desired(),
                        ReplicationNames.slot(job.id, cdc.database()), ReplicationNames.publication(job.id, cdc.database()),
                        profiles.source(), profiles.destination(), cdc.time(), cdc.drainDeadline(), RoleHandling.of(job.roles));
                outbox.add(topics.cdcControl(), CdcControl.key(job.id, cdc.database()), control);
            } else if (effect instanceof Effect.CdcCleared cleared) {
                outbox.add(topics.cdcControl(), CdcControl.key(job.id, cleared.database()), null);
            } else if (effect instanceof Effect.Event e) {
                events.record(job, e.type(), e.from(), e.to(), e.commandId(), e.database(), e.message());
            } else if (effect instanceof Effect.Metric m) {
                if (m.retried()) {
                    metrics.retried(job.id, m.task());
                } else {
                    metrics.failed(job.id, m.task());
                }
            } else if (effect instanceof Effect.PublishDocument) {
                published = documents.publish(job);
            }
        }
        return published;
    }

    private void dumpTask(DumpTask task) {
        outbox.add(topics.dumpTasks(), task.kafkaKey(), task);
    }

    private static CopyUnit unit(String unitJson) {
        try {
            return Json.read(unitJson, CopyUnit.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("damaged copy unit: " + unitJson, e);
        }
    }

    /** The job's profiles for the workers, read once per decision and only if a message needs them. */
    private static final class Profiles {
        private final MigrationJobEntity job;
        private ConnectionProfile source;
        private ConnectionProfile destination;

        Profiles(MigrationJobEntity job) {
            this.job = job;
        }

        ConnectionProfile source() {
            if (source == null) {
                source = ConnectionProfileEntity.forWorkers(job.sourceProfile);
            }
            return source;
        }

        ConnectionProfile destination() {
            if (destination == null) {
                destination = ConnectionProfileEntity.forWorkers(job.destinationProfile);
            }
            return destination;
        }

        /** A new task of this job's run about {@code database}, sent as lease {@code attempt}, decided in the document's current version. */
        DumpTask.Target target(String database, Integer attempt) {
            return DumpTask.Target.of(job.id, job.runEpoch, job.docVersion, database, source(), destination(), attempt);
        }
    }
}
