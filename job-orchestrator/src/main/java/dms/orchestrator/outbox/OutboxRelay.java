package dms.orchestrator.outbox;

import com.fasterxml.jackson.core.type.TypeReference;
import dms.common.json.Json;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Sends the outbox to Kafka in id order and deletes what was acknowledged, on one thread of
 * its own: woken by {@link dms.orchestrator.store.StateWriter} after each commit, and every
 * second to retry after a Kafka outage (or a restart). One sender in id order keeps the order
 * of records per key; the writers, serialized, commit in id order, so every read of the outbox
 * sees a prefix of it.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;

    @Inject
    KafkaProducer<String, byte[]> producer;

    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean stopping;
    private Thread sender;

    void start(@Observes StartupEvent start) {
        sender = new Thread(this::run, "dms-outbox-relay");
        sender.setDaemon(true);
        sender.start();
    }

    /** What was committed before the stop is still sent; what Kafka does not take waits in the table. */
    void stop(@Observes ShutdownEvent stop) throws InterruptedException {
        stopping = true;
        wake();
        if (sender != null) {
            sender.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** Something was committed: send it now. */
    public void wake() {
        wakeUps.release();
    }

    private void run() {
        while (true) {
            try {
                wakeUps.tryAcquire(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            wakeUps.drainPermits(); // one drain sends everything committed so far
            drain();
            if (stopping) {
                return;
            }
        }
    }

    /** Sends everything pending; returns false if Kafka did not take it (it stays queued). */
    boolean drain() {
        try {
            while (true) {
                List<OutboxEntity> rows = QuarkusTransaction.requiringNew()
                        .call(() -> OutboxEntity.<OutboxEntity>find("order by id").page(0, BATCH).list());
                if (rows.isEmpty()) {
                    return true;
                }
                List<Future<?>> sent = new ArrayList<>(rows.size());
                for (OutboxEntity row : rows) {
                    sent.add(producer.send(toRecord(row)));
                }
                for (Future<?> f : sent) {
                    f.get(30, TimeUnit.SECONDS);
                }
                List<Long> ids = rows.stream().map(r -> r.id).toList();
                QuarkusTransaction.requiringNew().run(() -> OutboxEntity.delete("id in ?1", ids));
                if (rows.size() < BATCH) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warnf("Kafka did not take the outbox yet (%s); retrying", e.getMessage());
            return false;
        }
    }

    private static ProducerRecord<String, byte[]> toRecord(OutboxEntity row) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic, row.recordKey, row.payload);
        if (row.headersJson != null) {
            Map<String, String> headers = Json.MAPPER.readValue(row.headersJson, new TypeReference<Map<String, String>>() {});
            headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return record;
    }
}
