package dms.cdc.stream;

import io.debezium.schema.SchemaTopicNamingStrategy;
import io.debezium.spi.schema.DataCollectionId;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Debezium's default topic names for PostgreSQL, remembered in a plain map. Debezium asks for a change's topic
 * name once per change and its own cache is an LRU map whose bookkeeping (a queue it sizes by walking it) cost
 * a few percent of the stream's CPU. No topic is ever written here (the engine hands records to us), so the
 * names only label records; a job's tables are few enough to keep all.
 */
public final class TopicNames extends SchemaTopicNamingStrategy {

    private final Map<DataCollectionId, String> names = new ConcurrentHashMap<>();

    public TopicNames(Properties props) {
        super(props);
    }

    @Override
    public String dataChangeTopic(DataCollectionId id) {
        return names.computeIfAbsent(id, super::dataChangeTopic);
    }
}
