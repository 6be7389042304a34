package dms.orchestrator.outbox;

import com.fasterxml.jackson.core.type.TypeReference;
import dms.common.json.Json;
import dms.common.kafka.Topics;
import dms.common.messages.Operation;
import dms.orchestrator.metrics.OutboxMetrics;
import dms.orchestrator.store.Operations;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Sends the outbox to Kafka in id order and deletes what was acknowledged, on one thread of
 * its own: woken by {@link dms.orchestrator.store.StateWriter} after each commit, and every
 * second to retry after a Kafka outage (or a restart). One sender in id order keeps the order
 * of records per key; the writers, serialized, commit in id order, so every read of the outbox
 * sees a prefix of it. A record Kafka refuses for good is set aside (kept in the table with the
 * reason, see {@link SendFailures}) so that it never blocks the ones after it.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;

    @Inject
    KafkaProducer<String, byte[]> producer;
    @Inject
    Topics topics;
    @Inject
    Operations operations;
    @Inject
    OutboxMetrics metrics;

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

    /**
     * Sends everything pending; returns false if Kafka did not take it (it stays queued). A record
     * Kafka refuses for good is set aside and the others go on ({@link RelayRound}).
     */
    boolean drain() {
        try {
            while (true) {
                List<OutboxEntity> rows = QuarkusTransaction.requiringNew().call(() -> OutboxEntity
                        .<OutboxEntity>find("failedTime is null order by id").page(0, BATCH).list());
                if (rows.isEmpty()) {
                    return true;
                }
                List<Future<?>> sent = new ArrayList<>(rows.size());
                for (OutboxEntity row : rows) {
                    sent.add(send(row));
                }
                RelayRound round = RelayRound.of(rows, i -> outcome(sent.get(i)));
                List<Long> ids = round.sent().stream().map(r -> r.id).toList();
                QuarkusTransaction.requiringNew().run(() -> {
                    if (!ids.isEmpty()) {
                        OutboxEntity.delete("id in ?1", ids);
                    }
                    round.setAside().forEach(this::setAside);
                });
                round.setAside().forEach(r -> metrics.countSetAside(r.row().topic));
                if (round.retry() != null) {
                    LOG.warnf("Kafka did not take the outbox yet (%s); retrying", SendFailures.reason(round.retry()));
                    return false;
                }
                if (rows.size() < BATCH && round.setAside().isEmpty()) {
                    return true; // else once more: a stand-in was queued
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Kafka did not take the outbox yet (%s); retrying", e.getMessage());
            return false;
        }
    }

    private Future<?> send(OutboxEntity row) {
        try {
            return producer.send(toRecord(row));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e); // decided like a refusal from the broker
        }
    }

    /** Null when Kafka took the record, else why not. */
    private static Throwable outcome(Future<?> sent) {
        try {
            sent.get(30, TimeUnit.SECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (TimeoutException e) {
            return e;
        }
    }

    /**
     * Marks the row failed and, for an Operation that was too large, queues an error Operation of
     * the same name in its place, so that nobody waits on the command for ever. Written outside the
     * writers' lock: the stand-in is the only other record of its key, so order does not matter.
     */
    private void setAside(RelayRound.SetAside refused) {
        OutboxEntity row = OutboxEntity.findById(refused.row().id);
        String reason = SendFailures.reason(refused.failure());
        row.failedTime = Instant.now();
        row.failure = reason;
        int bytes = row.payload == null ? 0 : row.payload.length;
        LOG.errorf("Kafka refused outbox record %d (topic %s, key %s, %d bytes) for good; set aside, the others go on: %s",
                row.id, row.topic, row.recordKey, bytes, reason);
        if (row.topic.equals(topics.operations()) && row.payload != null && SendFailures.tooLarge(refused.failure())) {
            Operation standIn = TooLargeOperation.replacing(row.recordKey, row.payload, bytes, reason);
            operations.replace(standIn);
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
