package dms.api.jobs;

import java.util.List;

/**
 * Body of a bulk verb: the jobs to act on, all in one status; batchDelete also takes
 * {@code purgeDestination}, batchStart and batchRestart {@code skipValidation}.
 */
public record BatchRequest(List<String> jobIds, Boolean purgeDestination, Boolean skipValidation) {}
