package dms.cdc.upstream;

import io.debezium.connector.postgresql.connection.ReplicationMessageColumnValueResolver;
import org.junit.jupiter.api.Test;

/**
 * Our copy of Debezium's resolver, which leaves values as pgoutput's text: its behaviour is tested end to end by
 * dms.cdc.stream.CommonTypesTest and the e2e TypesTest (every type family through a real stream).
 */
class ReplicationMessageColumnValueResolverReplacementTest {

    @Test
    void isOurCopyOfTheLibraryVersionInUse() {
        new UpstreamCopy(ReplicationMessageColumnValueResolver.class, "debezium-connector-postgres", "3.7.1.Final").assertReplaces();
    }
}
