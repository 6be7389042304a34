package dms.cdc.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.debezium.config.Configuration;
import io.debezium.pipeline.spi.OffsetContext;
import io.debezium.pipeline.txmetadata.TransactionContext;
import io.debezium.relational.TableId;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** What the lean transaction metadata keeps: the id in each offset, and an END record with id, time and count. */
class LeanTransactionMetadataTest {

    private final LeanTransactionMetadata metadata = new LeanTransactionMetadata(Configuration.create().build());

    @Test
    void anOffsetCarriesTheTransactionIdAndNoCounterPerTable() {
        TransactionContext transaction = transaction("745:24011560", "pgbench_accounts", "pgbench_history");
        Map<String, Object> offset = new HashMap<>(Map.of("lsn", 24011560L));
        transaction.store(offset);
        assertEquals(Map.of("lsn", 24011560L, LeanTransactionMetadata.OFFSET_TRANSACTION_ID, "745:24011560"), offset);
        assertEquals(2, transaction.getTotalEventCount());
    }

    @Test
    void theEndRecordHasTheIdTimeAndCountWithoutTheTables() {
        TransactionContext transaction = transaction("746", "a", "b", "a");
        // the one thing the END's maker asks of the offset context (a fake: building a real one takes a connector)
        OffsetContext offset = (OffsetContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {OffsetContext.class},
                (proxy, method, args) -> method.getName().equals("getTransactionContext") ? transaction : null);
        Struct end = metadata.getTransactionStructMaker().buildEndTransactionValue(offset, Instant.ofEpochMilli(1_700_000_000_123L));
        end.validate();
        assertEquals("END", end.getString("status"));
        assertEquals("746", end.getString("id"));
        assertEquals(1_700_000_000_123L, end.getInt64("ts_ms"));
        assertEquals(3L, end.getInt64("event_count"));
        assertNull(end.get("data_collections"));
    }

    /** A transaction begun with {@code id}, with one change in each of {@code tables} (of schema public). */
    private TransactionContext transaction(String id, String... tables) {
        TransactionContext transaction = metadata.getTransactionContext();
        transaction.beginTransaction(id);
        for (String table : tables) {
            transaction.event(new TableId(null, "public", table));
        }
        return transaction;
    }
}
