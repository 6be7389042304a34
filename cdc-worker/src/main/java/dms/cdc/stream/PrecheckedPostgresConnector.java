package dms.cdc.stream;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnector;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Debezium's PostgreSQL connector without its connection test at each engine start. The engine validates the
 * connector before starting it, and the PostgreSQL connector's validation opens a session on the source to check
 * the login, the replication privilege and read-only mode: a server's backend start plus three queries on the path
 * of every {@code :resume}, about a tenth of a second here. The job checked the privileges in its preflight, and
 * the worker connected to the same source with the same profile just before (the slot check,
 * {@code StreamActions}); a privilege lost since fails the replication connection with the server's own message.
 * The configuration's fields are still validated.
 */
public class PrecheckedPostgresConnector extends PostgresConnector {

    @Override
    protected void validateConnection(Map<String, ConfigValue> configValues, Configuration config) {
        // checked before the engine starts (see the class comment)
    }
}
