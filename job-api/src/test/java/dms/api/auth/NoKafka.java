package dms.api.auth;

import java.util.HashMap;
import java.util.Map;

/**
 * The HTTP layer alone: Kafka points at a closed port (never at a broker some other test runs
 * on this machine), so reads answer 503 (projection not rebuilt) once they pass the filters.
 */
public final class NoKafka {

    private NoKafka() {}

    public static Map<String, String> with(Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(overrides);
        config.put("kafka.bootstrap.servers", "127.0.0.1:1");
        config.put("quarkus.http.test-port", "0");
        return config;
    }
}
