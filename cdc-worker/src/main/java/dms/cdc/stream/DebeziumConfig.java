package dms.cdc.stream;

import dms.common.pg.PgConnector;
import dms.cdc.promote.DrainMarker;
import io.debezium.connector.postgresql.LeanSourceInfoStructMaker;
import java.util.Properties;

/**
 * The Debezium PostgreSQL connector configuration of one stream. Why each choice:
 * <ul>
 *   <li>pgoutput on the job's existing slot and publication; Debezium never creates or drops them
 *       (publication.autocreate.mode=disabled, slot.drop.on.stop=false; it would create a missing slot, so the
 *       control side checks the slot exists before each start), and takes no snapshot
 *       (snapshot.mode=no_data: the dump copied the data at the slot's snapshot; {@code never} is gone in 3.x).</li>
 *   <li>Offsets in memory (MemoryOffsetBackingStore): the destination's applied position is the truth.
 *       A new engine starts at the slot's confirmed position, and the slot is confirmed only up to what is
 *       applied: this stream marks a record processed (offset.flush.interval.ms=0: flushed to the slot at
 *       once) only after the destination transaction holding it committed. lsn.flush.mode=connector: the
 *       JDBC driver never confirms on its own.</li>
 *   <li>provide.transaction.metadata=true: BEGIN/END records delimit whole transactions, and the END
 *       record's offset carries the transaction's own commit LSN ({@code lsn_commit}). Built lean
 *       ({@link LeanTransactionMetadata}: no per-table counts in the END record or in every offset), and each
 *       change's source block holds only what is read of it ({@code LeanSourceInfoStructMaker}).</li>
 *   <li>connector.class {@link PrecheckedPostgresConnector}: no connection test at each engine start.</li>
 *   <li>Values as the source's own text: {@link SourceTextConverter} for every column (Debezium's own
 *       converters parsed and reformatted each value, losing some); money, which it leaves to Debezium, as
 *       a decimal string (decimal.handling.mode=string).</li>
 *   <li>column.propagate.source.type for every column: each field names its source type, which the
 *       drift check compares with the destination's.</li>
 *   <li>skipped.operations=none: truncates are streamed (Debezium skips them by default).</li>
 *   <li>extended.headers.enabled=false: no context headers on each record (nothing reads them; they
 *       cost a header list per change).</li>
 *   <li>unavailable.value.placeholder: a marker no real value has, for unchanged TOAST columns.</li>
 *   <li>message.prefix.include.list: only our drain markers among logical decoding messages.</li>
 *   <li>No table or schema include list: the publication alone decides what streams, so a table added to it
 *       during CDC ({@code dms.cdc.newtables}) streams as it is (Debezium learns it from its relation message).</li>
 *   <li>max.queue.size (2 batches) and max.queue.size.in.bytes bound Debezium's queue of records in count and
 *       size: with the apply queue's bounds and the parts of big transactions (docs/data-path.md, rules 4 and
 *       10), the worker's memory does not grow with the data, however wide the rows. (A count bound alone would
 *       save Debezium's per-record size estimate, a few percent of its decoding thread, but 8,192 rows of 1 MB
 *       would be 8 GB.)</li>
 *   <li>statistics.metrics.enabled=false: Debezium's latency statistics (a quantile sketch updated for every
 *       change; on by default since 3.7) are not read by anything here: the worker measures its own lag.</li>
 *   <li>errors.max.retries=0: a lost source connection stops the stream with the error (the owner restarts
 *       it; it resumes from the applied position) instead of retrying forever out of sight.</li>
 * </ul>
 */
public final class DebeziumConfig {

    /** Unchanged TOAST values arrive as this (no real value is ever this string). */
    public static final String UNAVAILABLE_PLACEHOLDER = "__dms_unchanged_toast_4c1f0b9e__";

    private DebeziumConfig() {}

    public static Properties of(CdcStreamSpec spec, PgConnector connections) {
        Properties p = new Properties();
        p.setProperty("name", "dms-cdc-" + spec.slotName());
        p.setProperty("connector.class", PrecheckedPostgresConnector.class.getName());
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("offset.flush.timeout.ms", "30000");
        // Also names the engine's JMX metrics: it must differ between the streams of one JVM (else the second
        // waits minutes for the name), and the slot name is unique per job database and a valid prefix.
        p.setProperty("topic.prefix", spec.slotName());
        p.setProperty("topic.naming.strategy", TopicNames.class.getName());

        p.setProperty("database.hostname", PgConnector.host(spec.source()));
        p.setProperty("database.port", String.valueOf(PgConnector.port(spec.source())));
        p.setProperty("database.user", spec.source().username());
        String password = connections.password(spec.source());
        if (password != null) {
            p.setProperty("database.password", password);
        }
        p.setProperty("database.dbname", spec.database());
        p.setProperty("database.sslmode", PgConnector.sslMode(spec.source()));
        connections.jdbcTls(spec.source()).forEach((name, file) -> p.setProperty("database." + name, file));
        p.setProperty("database.tcpKeepAlive", "true");
        p.setProperty("database.applicationName", connections.applicationName());
        // The walsender writes the values' text: in the styles our sessions read it back with (see PgConnector).
        p.setProperty("database.options", PgConnector.SESSION_SETTINGS);

        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", spec.slotName());
        p.setProperty("publication.name", spec.publicationName());
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("slot.drop.on.stop", "false");
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("lsn.flush.mode", "connector");
        p.setProperty("provide.transaction.metadata", "true");
        p.setProperty("transaction.metadata.factory", LeanTransactionMetadata.class.getName());
        p.setProperty("sourceinfo.struct.maker", LeanSourceInfoStructMaker.class.getName());

        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("include.unknown.datatypes", "true");
        p.setProperty("converters", "dmstext");
        p.setProperty("dmstext.type", SourceTextConverter.class.getName());
        p.setProperty("column.propagate.source.type", ".*");
        p.setProperty("unavailable.value.placeholder", UNAVAILABLE_PLACEHOLDER);
        p.setProperty("skipped.operations", "none");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("extended.headers.enabled", "false");
        p.setProperty("message.prefix.include.list", DrainMarker.PREFIX);

        p.setProperty("max.batch.size", String.valueOf(spec.options().maxBatchSize()));
        p.setProperty("max.queue.size", String.valueOf(spec.options().maxBatchSize() * 2));
        p.setProperty("max.queue.size.in.bytes", String.valueOf(spec.options().maxQueuedBytes()));
        p.setProperty("poll.interval.ms", String.valueOf(spec.options().pollIntervalMs()));
        p.setProperty("status.update.interval.ms", "10000");
        p.setProperty("statistics.metrics.enabled", "false");
        p.setProperty("errors.max.retries", "0");
        return p;
    }
}
