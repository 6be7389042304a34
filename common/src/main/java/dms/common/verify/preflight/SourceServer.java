package dms.common.verify.preflight;

import static dms.common.verify.preflight.FindingCode.*;

import dms.common.messages.PreflightReport.Side;
import dms.common.pg.WalMarker;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The source's server-wide facts that decide whether a job can replicate from it. */
record SourceServer(int versionNum, String version, String walLevel, int maxSlots, int slotsUsed, int maxWalSenders,
                    int walSendersUsed, boolean superuser, boolean replication) {

    static SourceServer read(Connection admin) throws SQLException {
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT current_setting('server_version_num')::int, current_setting('server_version'),
                       current_setting('wal_level'),
                       current_setting('max_replication_slots')::int, (SELECT count(*) FROM pg_replication_slots)::int,
                       current_setting('max_wal_senders')::int,
                       (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'walsender')::int,
                       r.rolsuper, r.rolreplication
                FROM pg_roles r WHERE r.rolname = current_user""")) {
            rs.next();
            return new SourceServer(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getInt(6),
                    rs.getInt(7), rs.getBoolean(8), rs.getBoolean(9));
        }
    }

    int major() {
        return versionNum / 10000;
    }

    /** @param pgDumpMajor the dump-workers' pg_dump major, null if unknown */
    void check(Findings findings, Integer pgDumpMajor) {
        if (pgDumpMajor != null && major() > pgDumpMajor) {
            findings.error(PG_DUMP_TOO_OLD, Side.SOURCE, null, null, "the source runs PostgreSQL " + version + " and the dump-workers'"
                    + " pg_dump is " + pgDumpMajor + " (dms.preflight.pg-dump-major): pg_dump dumps servers of its own major and older,"
                    + " this source needs pg_dump " + major() + " or newer",
                    "install the PostgreSQL " + major() + " client or newer on the dump-workers (e.g. apt-get install postgresql-client-"
                            + major() + ", or a directory in PG_BINDIR), then set dms.preflight.pg-dump-major to its major");
        }
        if (versionNum < PreflightCheck.MIN_SOURCE_VERSION) {
            findings.error(SOURCE_VERSION_UNSUPPORTED, Side.SOURCE, null, null, "the source runs PostgreSQL " + version
                    + "; change data capture needs 10 or newer (logical replication with pgoutput)",
                    "upgrade the source to PostgreSQL 10 or newer first (pg_upgrade), then migrate it");
        } else if (WalMarker.needsTable(versionNum)) {
            findings.warning(MARKER_TABLE_ON_SOURCE, Side.SOURCE, null, null, "the source runs PostgreSQL " + version
                    + ", whose pgoutput forwards no logical decoding messages: the job keeps its markers (heartbeats,"
                    + " promote's drain, verify) in a table it creates in each source database (dms_internal.<slot>_marker,"
                    + " in the job's publication, dropped with it) and updates a row of it every few seconds",
                    "nothing to do: the source user needs CREATE on each database, as for the publication");
        }
        if (!"logical".equals(walLevel)) {
            findings.error(WAL_LEVEL_NOT_LOGICAL, Side.SOURCE, null, null, "wal_level is " + walLevel
                    + " on the source; change data capture needs logical",
                    "set wal_level = logical on the source (ALTER SYSTEM SET wal_level = logical, or the cloud"
                            + " provider's flag) and restart it");
        }
        if (!superuser && !replication) {
            findings.error(MISSING_REPLICATION_PRIVILEGE, Side.SOURCE, null, null,
                    "the source user has neither REPLICATION nor superuser: it cannot create the job's replication slots",
                    "ALTER ROLE <user> WITH REPLICATION on the source (or the provider's replication role)");
        }
    }

    /**
     * One slot and one WAL sender per job database and replication group ({@code groups}: the job's cdcParallelism, an
     * upper bound: a database with fewer tables gets fewer), besides those other clients use now;
     * {@code ownSlots} of them exist already (a restart replaces them).
     */
    void checkCapacity(int databases, int groups, int ownSlots, Findings findings) {
        if (databases == 0) {
            return;
        }
        int slotsUsed = this.slotsUsed - ownSlots;
        int needed = databases * groups;
        String each = groups == 1 ? "one per database" : "one per database and replication group (cdcParallelism " + groups + ")";
        if (slotsUsed + needed > maxSlots) {
            findings.error(NOT_ENOUGH_REPLICATION_SLOTS, Side.SOURCE, null, null, "the job needs " + needed
                    + " replication slot(s), " + each + "; the source allows max_replication_slots = " + maxSlots
                    + " and " + slotsUsed + " are in use",
                    "set max_replication_slots to at least " + (slotsUsed + needed)
                            + " on the source and restart it, or drop slots no longer used (pg_replication_slots)");
        }
        if (walSendersUsed + needed > maxWalSenders) {
            findings.error(NOT_ENOUGH_WAL_SENDERS, Side.SOURCE, null, null, "the job streams " + databases
                    + " database(s) with " + needed + " WAL sender(s), " + each + "; the source allows max_wal_senders = "
                    + maxWalSenders + " and " + walSendersUsed + " are in use",
                    "set max_wal_senders to at least " + (walSendersUsed + needed) + " on the source and restart it");
        }
    }
}
