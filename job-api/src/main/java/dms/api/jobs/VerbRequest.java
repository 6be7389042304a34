package dms.api.jobs;

import java.util.List;

/** Optional body of a custom verb; only restart takes {@code databases} (the ones to restart). */
public record VerbRequest(List<String> databases) {}
