package dms.common.kafka;

import dms.common.json.Json;
import dms.common.messages.WorkerEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A worker's reports to dms.progress (key = jobId), each on the broker when {@link #send}
 * returns: work is acknowledged only after its report. The producer is made on first use, so
 * a worker starts while Kafka is still coming up.
 */
public final class ReportSender implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ReportSender.class.getName());
    private static final long MAX_PAUSE_MS = 10_000;

    private final Map<String, Object> config;
    private volatile boolean closed;
    private final String topic;
    private KafkaProducer<String, String> producer;

    /** @param kafkaConfig the service's Kafka client settings (serializer and group settings are ignored) */
    public ReportSender(Map<String, Object> kafkaConfig, String topic) {
        this.config = clientConfig(kafkaConfig);
        this.config.put(ProducerConfig.ACKS_CONFIG, "all");
        this.config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // A database's plan is one report of all its copy units: thousands of tables make megabytes of repetitive JSON.
        this.config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_REPORT_BYTES);
        this.topic = topic;
    }

    /** The connection settings of a service's Kafka config, without (de)serializers and consumer-group settings. */
    public static Map<String, Object> clientConfig(Map<String, Object> kafkaConfig) {
        Map<String, Object> out = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (!k.contains("serializer") && !k.startsWith("group")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * Sends until the broker has it, however long the broker is away: a task's outcome or a
     * stream's signal must not be lost (the orchestrator would wait for it forever, a copy unit
     * COPYING, a job STOPPING). Retries with a growing pause (up to {@value #MAX_PAUSE_MS} ms);
     * gives up only when the sender is closed (the service stops: the task, not acknowledged,
     * is delivered again to a worker), or at once when no retry can help ({@link UndeliverableReport}).
     */
    public void deliver(WorkerEvent event) {
        long pause = 500;
        for (int failures = 1; ; failures++) {
            try {
                send(event);
                if (failures > 1) {
                    LOG.log(System.Logger.Level.INFO, "Report of {0}/{1} delivered after {2} tries", event.jobId(), event.database(), failures);
                }
                return;
            } catch (IllegalStateException e) {
                if (closed || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                if (failures == 1 || failures % 10 == 0) {
                    LOG.log(System.Logger.Level.WARNING, "Report of {0}/{1} not delivered yet (try {2}), trying again: {3}",
                            event.jobId(), event.database(), failures, e.getMessage());
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(MAX_PAUSE_MS, pause * 2);
            }
        }
    }

    /** Sends once, waiting up to 60 s for the broker's ack (a periodic report that the next one replaces). */
    public void send(WorkerEvent event) {
        try {
            producer().send(new ProducerRecord<>(topic, event.jobId(), Json.write(event))).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reporting", e);
        } catch (Exception e) {
            discardProducer();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RecordTooLargeException || cause instanceof SerializationException) {
                throw new UndeliverableReport("the report of " + event.jobId() + "/" + event.database() + " cannot go to " + topic
                        + " (" + cause.getMessage() + ")", cause);
            }
            throw new IllegalStateException("cannot report to " + topic + ": " + e.getMessage(), e);
        }
    }

    /** A report the broker can never take (too large for the topic, say): retrying would wedge the task for good. */
    public static final class UndeliverableReport extends IllegalArgumentException {
        UndeliverableReport(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** After a failed send the next one starts from a new producer (fresh metadata, no state of the failure). */
    private synchronized void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
