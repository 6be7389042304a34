package dms.api.jobs;

import java.util.List;

/**
 * Optional body of a custom verb: restart takes {@code databases} (the ones to restart); start
 * and restart take {@code skipValidation} (go ahead without the pre-flight).
 */
public record VerbRequest(List<String> databases, Boolean skipValidation) {}
