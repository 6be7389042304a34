/*
 * Replaces Debezium 3.7.1's io.debezium.metrics.stats.MeasurementCollector (Apache License 2.0), same public
 * API. The original hands every change event's lag measurement (StreamingMeter.onEvent) to a thread of its own
 * through a bounded queue: a queue insert and a wake-up of that thread per change, measured at 2.6-3.1 µs of CPU
 * per change (the publisher thread alone, bench/run-cdc.sh "JVM by thread", quiet machine), and when that thread
 * fell behind, a WARN log line per change ("queue is full": 16,000 lines in one bench run). This worker turns
 * the statistics off (statistics.metrics.enabled=false, dms.cdc.stream.DebeziumConfig: the measurement then only
 * keeps the last value), so this version gives each event to its measurement on the caller's thread: no queue,
 * no thread. The original class is removed from the packaged application
 * (quarkus.class-loading.removed-resources in application.properties); in tests this module's classes come first.
 */
package io.debezium.metrics.stats;

import io.debezium.DebeziumException;
import io.debezium.metrics.event.MeasurementEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

public class MeasurementCollector<T extends MeasurementEvent> implements Consumer<T> {

    private final Map<Class<T>, Measurement<T>> measurements = new ConcurrentHashMap<>();

    public MeasurementCollector() {}

    /** Gives the event to its measurement now (one stream's events come from one thread, as before: in order). */
    @Override
    public void accept(T measurementEvent) {
        Measurement<T> measurement = measurements.get(measurementEvent.getClass());
        if (measurement != null) {
            measurement.accept(measurementEvent);
        }
    }

    public void addMeasurement(Class<T> clazz, Measurement<T> measurement) {
        if (measurements.containsKey(clazz)) {
            throw new DebeziumException("Duplicate measurement event for measurement class " + clazz.getName());
        }
        measurements.put(clazz, measurement);
    }

    /** Nothing to start: there is no publisher thread. */
    public void start() {}

    /** Nothing to stop: nothing is queued. */
    public void stop() {}

    /** Nothing queued to drop. */
    public void reset() {}
}
