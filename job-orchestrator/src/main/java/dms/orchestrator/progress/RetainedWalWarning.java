package dms.orchestrator.progress;

import dms.common.messages.DatabaseProgress;
import dms.common.pg.PgSize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * When the WAL a database's slot retains deserves a warning: over a share
 * ({@code dms.slot.retained-wal-warning-share}, 0.8) of the source's {@code max_slot_wal_keep_size},
 * past which the source invalidates the slot and the database must be copied again; on a source
 * without that bound, over {@code dms.slot.retained-wal-warning-bytes} (10 GiB), before the
 * source's disk fills. One warning per crossing: the database's {@code retainedWalWarning} stays
 * set until the retained WAL is back under 90% of the level, so a value hovering at the level does
 * not warn at every report.
 */
@ApplicationScoped
public class RetainedWalWarning {

    private static final double REARM = 0.9;

    /** The progress with its flag as the retained WAL now stands, and the warning's text on a crossing. */
    public record Outcome(DatabaseProgress progress, Optional<String> warning) {}

    private double share;
    private long bytes;

    /** For the CDI proxy. */
    RetainedWalWarning() {}

    @Inject
    public RetainedWalWarning(@ConfigProperty(name = "dms.slot.retained-wal-warning-share", defaultValue = "0.8") double share,
                       @ConfigProperty(name = "dms.slot.retained-wal-warning-bytes", defaultValue = "10737418240") long bytes) {
        this.share = share;
        this.bytes = bytes;
    }

    public Outcome check(DatabaseProgress p) {
        Long retained = p.retainedWalBytes();
        if (retained == null) {
            return new Outcome(p, Optional.empty());
        }
        Long bound = p.maxSlotWalKeepSizeBytes() != null && p.maxSlotWalKeepSizeBytes() >= 0 ? p.maxSlotWalKeepSizeBytes() : null;
        long level = bound != null ? (long) (bound * share) : bytes;
        boolean was = Boolean.TRUE.equals(p.retainedWalWarning());
        boolean over = retained >= (was ? level * REARM : level);
        Optional<String> warning = over && !was ? Optional.of(message(p, retained, level, bound)) : Optional.empty();
        return new Outcome(p.withRetainedWalWarning(over ? true : null), warning);
    }

    private String message(DatabaseProgress p, long retained, long level, Long bound) {
        String slot = p.slotName() != null ? "slot " + p.slotName() : "the slot";
        String over = bound != null
                ? "over " + Math.round(share * 100) + "% of the source's max_slot_wal_keep_size (" + PgSize.pretty(bound)
                        + "): past it the source invalidates the slot and the database must be copied again"
                : "over the warning level of " + PgSize.pretty(level) + " (dms.slot.retained-wal-warning-bytes; the source"
                        + " sets no max_slot_wal_keep_size): the source keeps it until the job reads it, and a full disk stops"
                        + " the source";
        return slot + " retains " + PgSize.pretty(retained) + " of WAL on the source, " + over
                + ". What frees it: the stream reading on (resume a stopped or failed job; a running one is behind, see"
                + " lagBytes), or deleting the job";
    }
}
