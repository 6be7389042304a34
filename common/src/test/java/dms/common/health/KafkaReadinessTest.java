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
            HealthCheckResponse first = check.call();
            assertEquals(HealthCheckResponse.Status.DOWN, first.getStatus());
            assertEquals("kafka", first.getName());
            assertTrue(first.getData().orElseThrow().containsKey("problem"), first.getData().toString());
            // A probe gets its answer in seconds, not after the admin client's default minute
            // (measured on the second call: the first one also creates the client).
            long start = System.nanoTime();
            assertEquals(HealthCheckResponse.Status.DOWN, check.call().getStatus());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 15_000, "answered after " + millis + " ms");
        } finally {
            check.close();
        }
    }
}
