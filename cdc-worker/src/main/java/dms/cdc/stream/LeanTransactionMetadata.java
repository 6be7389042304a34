package dms.cdc.stream;

import io.debezium.config.Configuration;
import io.debezium.pipeline.spi.OffsetContext;
import io.debezium.pipeline.txmetadata.DefaultTransactionMetadataFactory;
import io.debezium.pipeline.txmetadata.DefaultTransactionStructMaker;
import io.debezium.pipeline.txmetadata.TransactionContext;
import io.debezium.pipeline.txmetadata.TransactionStatus;
import io.debezium.pipeline.txmetadata.TransactionStructMaker;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;

/**
 * Debezium's transaction metadata ({@code provide.transaction.metadata}) reduced to what the worker reads
 * ({@link TransactionAssembler}): BEGIN and END records, the END with the transaction's id, commit time and change
 * count, and the transaction's id in each record's offset. Debezium's own builds, per transaction, a struct per table
 * into the END record (the table's changes), and puts a counter per table touched into every record's offset (a key
 * string built per table, per change): with pgbench's transactions of four changes over four tables, about a tenth of
 * its decoding thread. Set by {@code transaction.metadata.factory} ({@link DebeziumConfig}); a Debezium extension
 * point, not a replacement.
 */
public class LeanTransactionMetadata extends DefaultTransactionMetadataFactory {

    /** Debezium's offset key of the transaction id ({@code TransactionContext} keeps its constant private). */
    static final String OFFSET_TRANSACTION_ID = "transaction_id";

    private final Configuration configuration;

    public LeanTransactionMetadata(Configuration configuration) {
        super(configuration);
        this.configuration = configuration;
    }

    @Override
    public TransactionContext getTransactionContext() {
        return new IdOnlyOffset();
    }

    @Override
    public TransactionStructMaker getTransactionStructMaker() {
        return new EndWithoutTables(configuration);
    }

    /** Stores the transaction's id in a record's offset, without a counter per table. */
    static final class IdOnlyOffset extends TransactionContext {
        @Override
        public Map<String, Object> store(Map<String, Object> offset) {
            if (getTransactionId() != null) {
                offset.put(OFFSET_TRANSACTION_ID, getTransactionId());
            }
            return offset;
        }
    }

    /** The END record without its list of tables and their change counts. */
    static final class EndWithoutTables extends DefaultTransactionStructMaker {
        EndWithoutTables(Configuration configuration) {
            super(configuration);
        }

        @Override
        public Struct buildEndTransactionValue(OffsetContext offsetContext, Instant timestamp) {
            TransactionContext transaction = offsetContext.getTransactionContext();
            return new Struct(getTransactionValueSchema())
                    .put(DEBEZIUM_TRANSACTION_STATUS_KEY, TransactionStatus.END.name())
                    .put(DEBEZIUM_TRANSACTION_ID_KEY, transaction.getTransactionId())
                    .put(DEBEZIUM_TRANSACTION_TS_MS, timestamp.toEpochMilli())
                    .put(DEBEZIUM_TRANSACTION_EVENT_COUNT_KEY, transaction.getTotalEventCount());
        }
    }
}
