package dms.common.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The DOWN side against a real client and an address nobody answers on; the UP side runs in the e2e tests. */
class KafkaReadinessTest {

    @Test
    void downWithTheReasonWithinTheTimeoutWhenNoBrokerAnswers() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        KafkaReadiness check = new KafkaReadiness();
        check.kafkaConfig = Map.of("bootstrap.servers", "127.0.0.1:" + port);
        try {
            long start = System.nanoTime();
            HealthCheckResponse response = check.call();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
            assertEquals("kafka", response.getName());
            assertTrue(response.getData().orElseThrow().containsKey("problem"), response.getData().toString());
            assertTrue(millis < KafkaReadiness.TIMEOUT_MS + 3000, "answered after " + millis + " ms");
        } finally {
            check.close();
        }
    }
}
