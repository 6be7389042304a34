package io.debezium.connector.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.connection.Lsn;
import io.debezium.connector.postgresql.connection.ReplicationMessage;
import io.debezium.relational.TableId;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** The source block: the change's table, transaction, position and time, and nothing else. */
class LeanSourceInfoStructMakerTest {

    @Test
    void theSourceBlockNamesTheTable() {
        PostgresConnectorConfig config = new PostgresConnectorConfig(Configuration.create().with("topic.prefix", "t")
                .with("database.dbname", "shop").with("plugin.name", "pgoutput").build());
        SourceInfo info = new SourceInfo(config);
        info.update(Lsn.valueOf(24011560L), Instant.now(), 745L, null, new TableId("shop", "sales", "orders"),
                ReplicationMessage.Operation.UPDATE);
        LeanSourceInfoStructMaker maker = new LeanSourceInfoStructMaker();
        maker.init("postgresql", "3.7.1.Final", config);
        Struct source = maker.struct(info);
        source.validate();
        assertEquals(List.of("schema", "table", "txId", "lsn", "xmin", "ts_ms"), maker.schema().fields().stream().map(Field::name).toList());
        assertEquals("sales", source.getString("schema"));
        assertEquals("orders", source.getString("table"));
        assertEquals(745L, source.getInt64("txId"));
        assertEquals(24011560L, source.getInt64("lsn"));
    }
}
