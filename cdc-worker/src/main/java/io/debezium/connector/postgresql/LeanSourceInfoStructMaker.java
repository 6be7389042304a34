package io.debezium.connector.postgresql;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.connector.AbstractSourceInfoStructMaker;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * The {@code source} block of every change event reduced to what is read of it: the table's schema and name (by the
 * worker's {@code dms.cdc.stream.ChangeDecoder}), and the transaction id, position and time (by Debezium's own
 * {@link PostgresEventMetadataProvider}, for its transaction monitor and metrics). Debezium's maker
 * ({@link PostgresSourceInfoStructMaker}) fills sixteen fields per change, each put validated against its schema.
 * Set by {@code sourceinfo.struct.maker} (dms.cdc.stream.DebeziumConfig). It lives in Debezium's package because
 * {@link SourceInfo}'s accessors are package-private; it replaces nothing.
 */
public class LeanSourceInfoStructMaker extends AbstractSourceInfoStructMaker<SourceInfo> {

    private Schema schema;

    @Override
    public void init(String connector, String version, CommonConnectorConfig connectorConfig) {
        super.init(connector, version, connectorConfig);
        schema = SchemaBuilder.struct()
                .name("io.debezium.connector.postgresql.Source")
                .field(SourceInfo.SCHEMA_NAME_KEY, Schema.OPTIONAL_STRING_SCHEMA)
                .field(SourceInfo.TABLE_NAME_KEY, Schema.OPTIONAL_STRING_SCHEMA)
                .field(SourceInfo.TXID_KEY, Schema.OPTIONAL_INT64_SCHEMA)
                .field(SourceInfo.LSN_KEY, Schema.OPTIONAL_INT64_SCHEMA)
                .field(SourceInfo.XMIN_KEY, Schema.OPTIONAL_INT64_SCHEMA)
                .field(SourceInfo.TIMESTAMP_KEY, Schema.OPTIONAL_INT64_SCHEMA)
                .build();
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public Struct struct(SourceInfo sourceInfo) {
        Struct source = new Struct(schema)
                .put(SourceInfo.SCHEMA_NAME_KEY, sourceInfo.schemaName())
                .put(SourceInfo.TABLE_NAME_KEY, sourceInfo.tableName())
                .put(SourceInfo.TXID_KEY, sourceInfo.txId())
                .put(SourceInfo.XMIN_KEY, sourceInfo.xmin());
        if (sourceInfo.lsn() != null) {
            source.put(SourceInfo.LSN_KEY, sourceInfo.lsn().asLong());
        }
        if (sourceInfo.timestamp() != null) {
            source.put(SourceInfo.TIMESTAMP_KEY, sourceInfo.timestamp().toEpochMilli());
        }
        return source;
    }
}
