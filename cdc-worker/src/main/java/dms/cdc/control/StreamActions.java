package dms.cdc.control;

import dms.cdc.stream.GroupedStream;
import dms.cdc.stream.SessionPair;
import dms.cdc.stream.CdcStreamSpec;
import dms.cdc.apply.SchemaDriftException;
import dms.cdc.apply.TableRef;
import dms.cdc.newtables.NewTableException;
import dms.cdc.newtables.NewTables;
import dms.common.pg.PgConnector;
import dms.common.messages.CdcControl;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.RoleHandling;
import dms.common.pg.ReplicationGroups;
import dms.common.pg.SlotHealth;
import dms.common.pg.internal.CopiedUnits;
import dms.common.sql.Lsn;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starts the CDC stream of a job database (after checking its slot, with the sync LSNs the dump
 * recorded on the destination), and tells the failures that no retry mends from passing ones.
 */
@ApplicationScoped
public class StreamActions {

    @Inject
    PgConnector connector;
    @Inject
    StreamReports reports;
    @ConfigProperty(name = "dms.cdc.max-retries", defaultValue = "20")
    int maxRetries;
    /** How often each stream looks for tables created on the source (docs/cdc.md); PT0S: never. */
    @ConfigProperty(name = "dms.cdc.new-table-interval", defaultValue = "PT5S")
    Duration newTableInterval;
    /** How long bringing a new table over waits for its writers on the source, per round. */
    @ConfigProperty(name = "dms.cdc.new-table-lock-timeout", defaultValue = "PT5S")
    Duration newTableLockTimeout;

    int maxRetries() {
        return maxRetries;
    }

    /** The database's stream: one per replication group its prepare made (the publications on the source say which). */
    GroupedStream start(CdcControl c) throws SQLException {
        SessionPair sessions;
        try {
            sessions = SessionPair.open(connector, c.source(), c.destination(), c.database());
        } catch (SessionPair.OpenFailed e) {
            throw onServer(e.onSource() ? "source" : "destination", e.onSource() ? c.source() : c.destination(), c, e);
        }
        List<ReplicationGroups.Group> groups;
        Map<TableRef, Lsn> syncLsns;
        try {
            groups = slotsUsable(sessions.source(), c);
        } catch (SQLException e) {
            sessions.closeQuietly();
            throw onServer("source", c.source(), c, e);
        } catch (RuntimeException e) {
            sessions.closeQuietly();
            throw e;
        }
        try {
            syncLsns = syncLsns(sessions.destination(), c);
        } catch (SQLException e) {
            sessions.closeQuietly();
            throw onServer("destination", c.destination(), c, e);
        }
        try {
            List<String> publications = groups.stream().map(ReplicationGroups.Group::publicationName).toList();
            List<CdcStreamSpec> specs = groups.stream().map(g -> new CdcStreamSpec(c.jobId(), c.database(), g.slotName(),
                    g.publicationName(), c.source(), c.destination(), syncLsns, null,
                    new CdcStreamSpec.Group(g.index(), c.slotName(), publications))).toList();
            // The sessions that checked the slots go on to start the streams: a resume waits for every session it opens.
            return GroupedStream.start(specs, connector, new NewTables.Options(newTableInterval, newTableLockTimeout,
                    RoleHandling.of(c.roles()), added -> reports.tableAdded(c, added), notTaken -> reports.tableNotTaken(c, notTaken)),
                    sessions);
        } catch (SQLException e) {
            throw onServer("destination", c.destination(), c, e);
        }
    }

    /** The driver's message ("The connection attempt failed.") does not say which server: the job's error must. */
    private static SQLException onServer(String side, ConnectionProfile server, CdcControl c, SQLException e) {
        return new SQLException("the " + side + " " + server.host() + ":" + server.port() + " (database " + c.database() + "): "
                + e.getMessage() + (e.getSQLState() != null ? " (SQLSTATE " + e.getSQLState() + ")" : ""), e.getSQLState(), e);
    }

    /**
     * A stream cannot start on a slot that is gone or invalidated, and no retry mends it. Debezium would
     * create a missing slot at the source's current position: the changes since the old one was dropped
     * would be lost without a word (and a removed database would get a slot again); an invalidated slot
     * would be tried again for as long as the retries last.
     */
    private static List<ReplicationGroups.Group> slotsUsable(Connection source, CdcControl c) throws SQLException {
        List<ReplicationGroups.Group> groups = ReplicationGroups.find(source, c.slotName(), c.publicationName());
        for (ReplicationGroups.Group g : groups) {
            Optional<SlotHealth> slot = SlotHealth.probe(source, g.slotName());
            if (slot.isEmpty()) {
                throw new SlotUnusableException("replication slot " + g.slotName() + " does not exist on source database "
                        + c.database() + " (dropped outside the job?): the changes it kept are lost; restart the database"
                        + " (:restart with {\"databases\": [\"" + c.database() + "\"]}) to copy it again under a new slot");
            }
            if (slot.get().invalidated()) {
                throw new SlotUnusableException(slot.get().invalidationMessage(c.database()));
            }
        }
        return groups;
    }

    /** The job's slot is gone or invalidated: streaming cannot go on without losing changes. */
    static final class SlotUnusableException extends RuntimeException {
        SlotUnusableException(String message) {
            super(message);
        }
    }

    /** Schema drift, a missing slot and a lost one cannot be retried away: the user must act. */
    public static boolean isPermanent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaDriftException || t instanceof SlotUnusableException || t instanceof NewTableException) {
                return true;
            }
        }
        return false;
    }

    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaDriftException || t instanceof NewTableException) {
                return t.getMessage();
            }
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** Per table, the sync LSN the dump recorded ({@link CopiedUnits}); empty before any copy. */
    private static Map<TableRef, Lsn> syncLsns(Connection destination, CdcControl c) throws SQLException {
        Map<TableRef, Lsn> out = new HashMap<>();
        CopiedUnits.syncLsns(destination, c.jobId()).forEach((t, lsn) -> out.put(new TableRef(t.schema(), t.table()), lsn));
        return out;
    }
}
