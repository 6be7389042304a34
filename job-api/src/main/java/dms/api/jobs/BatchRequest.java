package dms.api.jobs;

import java.util.List;

/** Body of a bulk verb: the jobs to act on, all in one status. */
public record BatchRequest(List<String> jobIds) {}
