package dms.common.metrics;

/**
 * Label names the DMS metrics share. The migration job is {@code migration_job}, not {@code job}:
 * Prometheus gives {@code job} to the scrape job and, without {@code honor_labels}, would rename
 * ours {@code exported_job}, so that the dashboards and alerts would find nothing.
 */
public final class MetricLabels {

    /** The migration job's id. */
    public static final String JOB = "migration_job";

    private MetricLabels() {
    }
}
