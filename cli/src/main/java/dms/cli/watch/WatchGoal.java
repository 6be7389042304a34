package dms.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dms.cli.output.Json;

/**
 * Where {@code jobs watch} stops with exit 0: COMPLETED (the default), or with {@code --until CDC}
 * once the job replicates (RUNNING/CDC), and with {@code --max-lag S} once every database's lag is
 * known and at most S seconds, the gate of a cut-over script. COMPLETED satisfies every goal.
 */
public record WatchGoal(Until until, Double maxLagSeconds) {

    public enum Until { CDC, COMPLETED }

    public boolean reached(JsonNode job) {
        String state = Json.text(job, "state", "");
        if (state.equals("COMPLETED")) {
            return true;
        }
        if (until != Until.CDC || !state.equals("RUNNING") || !"CDC".equals(Json.text(job, "phase"))) {
            return false;
        }
        if (maxLagSeconds == null) {
            return true;
        }
        JsonNode databases = job.path("databaseProgress");
        if (databases.isEmpty()) {
            return false;
        }
        for (JsonNode db : databases) {
            Double lag = Json.decimal(db, "lagSeconds");
            if (lag == null || lag > maxLagSeconds) {
                return false;
            }
        }
        return true;
    }

    /** For the line that says it was reached. */
    public String describe() {
        return until == Until.COMPLETED ? "COMPLETED" : "RUNNING/CDC" + (maxLagSeconds == null ? "" : " with lag <= " + maxLagSeconds + " s");
    }
}
