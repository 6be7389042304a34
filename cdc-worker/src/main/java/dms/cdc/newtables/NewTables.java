package dms.cdc.newtables;

import dms.cdc.apply.TableRef;
import dms.cdc.stream.CdcStreamSpec;
import dms.cdc.stream.KeptSession;
import dms.common.messages.RoleHandling;
import dms.common.pg.PgConnector;
import dms.common.sql.Lsn;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tables created on the source during CDC, for one stream (docs/cdc.md, "Tables created during CDC"):
 * a thread of its own looks every {@code interval} for tables of the job's scope that are not in its
 * publication ({@link NewTableFinder}), on a source session it keeps; the apply thread brings each one found
 * over ({@link NewTableCopy}) between two destination transactions, and does nothing else meanwhile, as
 * PostgreSQL's apply worker waits for its table sync. The looking stays off the apply thread: a session
 * opened and the catalog read every round there stalled the apply by tens of milliseconds each time, far
 * more on a busy source.
 *
 * <p>Until its copy is recorded, a table found has the sync LSN {@link #NOT_COPIED} in the stream's shared
 * map: the applier skips its changes (they committed before the copy's snapshot, which holds them) and
 * the assembler keeps them out of the parts of big transactions. The copy then sets its real sync LSN.
 * At the start of a stream, a table in the publication without a recorded copy (a round that did not
 * finish) is taken up again the same way, before anything is read.
 *
 * <p>A table of the job's schemas that no publication can carry (unlogged, or without a replica identity) and that the
 * dump did not copy is told to the job once per stream start ({@link NotTakenTable}); given a key later, it is copied then.
 */
public final class NewTables {

    private static final Logger LOG = LoggerFactory.getLogger(NewTables.class);

    /** After every LSN: every change of a table not copied yet is skipped (its copy will hold it). */
    public static final Lsn NOT_COPIED = new Lsn(-1L);
    /** lock_not_available: the lock_timeout ran out (writers held the table): the next round tries again. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /**
     * @param interval how often the source is compared with the publication; zero: never (tables created during CDC are
     *     not taken)
     * @param lockTimeout how long the publication change and the copy's lock wait for the table's writers
     * @param roles the job's roles setting: whether a new table's owner and grants are restored, and their roles created
     * @param listener told of each table brought over, on the apply thread
     * @param notTaken told of each new table that cannot be replicated, once
     */
    public record Options(Duration interval, Duration lockTimeout, RoleHandling roles, Consumer<AddedTable> listener,
                          Consumer<NotTakenTable> notTaken) {
        public static final Options DISABLED = new Options(Duration.ZERO, Duration.ofSeconds(5), RoleHandling.SKIP, t -> {}, t -> {});

        boolean enabled() {
            return interval.toMillis() > 0;
        }
    }

    private final CdcStreamSpec spec;
    private final PgConnector connections;
    private final Map<TableRef, Lsn> syncLsns;
    private final Options options;
    /** Found and not copied yet, with when each was found: written by the finder, copied by the apply thread. */
    private final Map<TableRef, Long> pending = Collections.synchronizedMap(new LinkedHashMap<>());
    /** The tables told not taken since the stream started (the finder's). */
    private final Set<TableRef> toldNotTaken = new HashSet<>();
    /** When the apply thread may try the copies again (after a lock wait ran out). */
    private long nextCopy = System.nanoTime();
    private ScheduledExecutorService finder;
    /** The finder's source session, kept between rounds; reopened after a failure. */
    private final KeptSession findSession;
    private int findFailures;

    /** @param syncLsns the stream's sync LSNs, shared with its assembler and applier: written here */
    public NewTables(CdcStreamSpec spec, PgConnector connections, Map<TableRef, Lsn> syncLsns, Options options) {
        this.spec = spec;
        this.connections = connections;
        this.syncLsns = syncLsns;
        this.options = options;
        this.findSession = new KeptSession(connections);
    }

    /** Before the stream reads: tables a round added to the publication and did not copy (their changes wait for it). */
    public void beforeStreaming(Connection source) throws SQLException {
        if (options.enabled()) {
            for (TableRef t : NewTableFinder.published(source, spec.publicationName())) {
                if (!syncLsns.containsKey(t)) {
                    found(t);
                }
            }
        }
    }

    /** Starts looking for new tables, on a thread of its own, every interval (none if disabled). */
    public void startFinding() {
        if (!options.enabled()) {
            return;
        }
        finder = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dms-cdc-new-tables-" + spec.slotName());
            t.setDaemon(true);
            return t;
        });
        finder.scheduleWithFixedDelay(this::findRound, 0, options.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops looking (a copy under way on the apply thread ends with it). */
    public void close() {
        if (finder != null) {
            finder.shutdownNow();
        }
        findSession.close();
    }

    /**
     * The finder's round: a failure (the source away, a restart) is logged once and tried again next round on a new
     * session; it does not stop the stream, which fails on its own if the source is gone.
     */
    private void findRound() {
        try {
            Connection source = findSession.get(spec.source(), spec.database());
            // In none of the job database's publications; with several replication groups each new table is one group's.
            List<TableRef> unpublished = NewTableFinder.unpublished(source, spec.group().publications());
            unpublished.stream().filter(spec.group()::takes).forEach(this::found);
            if (spec.group().index() == 0) {
                tellNotTaken(source); // once for the database, not once per group
            }
            findFailures = 0;
        } catch (SQLException | RuntimeException e) {
            findSession.close();
            if (findFailures++ == 0 && !finder.isShutdown()) {
                LOG.warn("CDC {}/{}: looking for tables created on the source failed ({}); trying again every {}", spec.jobId(),
                        spec.database(), e.getMessage(), options.interval());
            }
        }
    }

    /** The apply thread, between destination transactions: copies the tables found, if any (one try per interval). */
    public void runIfDue() throws SQLException {
        if (pending.isEmpty() || System.nanoTime() - nextCopy < 0) {
            return;
        }
        nextCopy = System.nanoTime() + options.interval().toNanos();
        Connection source;
        try {
            source = connections.open(spec.source(), spec.database());
        } catch (SQLException e) {
            throw new SourceFailed(e);
        }
        try (source) {
            try {
                copyPending(source);
            } catch (SQLException e) {
                // The apply thread copies: say which server failed, or it would read as the destination's.
                if (!alive(source)) {
                    throw new SourceFailed(e);
                }
                throw e;
            }
        }
    }

    private void copyPending(Connection source) throws SQLException {
        try (Statement st = source.createStatement()) {
            st.execute("SET lock_timeout = " + options.lockTimeout().toMillis());
        }
        List<Map.Entry<TableRef, Long>> tables;
        synchronized (pending) {
            tables = List.copyOf(pending.entrySet());
        }
        try (Connection destination = connections.open(spec.destination(), spec.database())) {
            for (Map.Entry<TableRef, Long> t : tables) {
                copy(source, destination, t.getKey(), t.getValue());
            }
        }
    }

    private static boolean alive(Connection conn) {
        try {
            return conn.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** A round stopped because the source failed under it (restarted, unreachable): the stream starts again, the round with it. */
    public static final class SourceFailed extends RuntimeException {
        SourceFailed(SQLException cause) {
            super("the source failed while looking for tables created during CDC (SQLSTATE " + cause.getSQLState() + "): "
                    + cause.getMessage(), cause);
        }
    }

    private void found(TableRef table) {
        if (pending.putIfAbsent(table, System.currentTimeMillis()) == null) {
            syncLsns.put(table, NOT_COPIED); // before it joins the publication: none of its changes is applied until copied
            LOG.info("CDC {}/{}: table {} found on the source, not in the publication: copying it", spec.jobId(), spec.database(), table);
        }
    }

    /** The dump copied those it found (they have a sync LSN): only the tables created since are news. */
    private void tellNotTaken(Connection source) throws SQLException {
        for (NotTakenTable t : NewTableFinder.notTakeable(source, spec.group().publications())) {
            if (!syncLsns.containsKey(t.table()) && toldNotTaken.add(t.table())) {
                LOG.warn("CDC {}/{}: table {} was created on the source during CDC and is not replicated: {}", spec.jobId(), spec.database(),
                        t.table(), t.reason());
                options.notTaken().accept(t);
            }
        }
    }

    private void copy(Connection source, Connection destination, TableRef table, long foundAt) throws SQLException {
        AddedTable added;
        try {
            added = NewTableCopy.run(source, destination, spec.jobId(), spec.publicationName(), table, options, foundAt);
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                LOG.info("CDC {}/{}: table {} is busy on the source (lock wait over {}), trying again in the next round", spec.jobId(),
                        spec.database(), table, options.lockTimeout());
                return;
            }
            if (e.getSQLState() == null || e.getSQLState().startsWith("08") || !alive(source) || !alive(destination)) {
                throw e; // a server went away: the stream starts again, and this table is found again
            }
            throw new NewTableException(table, e);
        }
        syncLsns.put(table, added.syncLsn());
        pending.remove(table);
        LOG.info("CDC {}/{}: {}", spec.jobId(), spec.database(), added.describe());
        options.listener().accept(added);
    }
}
