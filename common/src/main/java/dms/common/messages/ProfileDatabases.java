package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer to {@code LIST_DATABASES}: the databases of a connection profile's server that are
 * not templates, accept connections and that the profile's user may connect to, by name.
 *
 * @param connectionProfile the profile's id
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileDatabases(String connectionProfile, List<Database> databases) {

    /**
     * One database.
     *
     * @param sizeBytes     its size on disk ({@code pg_database_size})
     * @param maintenance   a maintenance database ({@code postgres}, cloud admin ones) that a job of "all
     *                      databases" leaves out; it can still be named
     * @param migrationJobs the jobs (not deleted) that migrate it from this profile: named in their databases,
     *                      or all databases
     */
    public record Database(String name, long sizeBytes, boolean maintenance, List<String> migrationJobs) {}
}
