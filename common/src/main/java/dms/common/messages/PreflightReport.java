package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answer of verify before start (the Operation's {@code response}): what stands in the way
 * of migrating, one finding per problem. {@code passed} is false when any finding is an ERROR
 * (start would fail); WARNINGs do not block. The job's status does not change.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PreflightReport(String jobId, String verificationType, Instant checkedAt, boolean passed,
                              String sourceVersion, String destinationVersion, Map<String, Long> sourceSizeBytes,
                              List<Finding> findings) {

    public static final String TYPE = "PRE_FLIGHT";

    public enum Severity { ERROR, WARNING }

    public enum Side { SOURCE, DESTINATION }

    /**
     * One problem: a stable {@code code} to automate on, where it is ({@code side}, {@code database},
     * {@code objects}), what is wrong ({@code message}) and what to do about it ({@code action}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Finding(String code, Severity severity, Side side, String database, List<String> objects,
                          String message, String action) {}

    public static PreflightReport of(String jobId, Instant at, String sourceVersion, String destinationVersion,
                                     Map<String, Long> sizes, List<Finding> findings) {
        boolean passed = findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
        return new PreflightReport(jobId, TYPE, at, passed, sourceVersion, destinationVersion, sizes, List.copyOf(findings));
    }
}
