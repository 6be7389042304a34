package dms.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dms.cli.api.ApiClient;
import dms.cli.api.Pages;
import dms.cli.output.Json;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The jobs an action applies to: ids on the command line, or every job that matches {@code --filter}. */
public final class JobSelection {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "JOB_ID", description = "the jobs (several: one batch call, all or none)")
    List<String> ids = new ArrayList<>();

    @Option(names = "--filter", paramLabel = "EXPR",
            description = "instead of ids: every job matching e.g. 'state=RUNNING' or 'state=STOPPED phase=CDC' "
                    + "(keys: state, phase, source, destination)")
    String filter;

    /** One job named on the command line: the single-job endpoint. */
    public boolean single() {
        check();
        return filter == null && ids.size() == 1;
    }

    public String onlyId() {
        return ids.get(0);
    }

    public String describe() {
        return filter == null ? String.join(", ", ids) : "--filter " + filter;
    }

    /** The ids, from the command line or from the API's list under the filter (every page of it). */
    public List<String> resolve(ApiClient api, Integer pageSize) {
        check();
        if (filter == null) {
            return ids;
        }
        JobFilter f = parsedFilter();
        List<String> out = new ArrayList<>();
        for (JsonNode job : Pages.all(api, "/v1/migration-jobs" + f.query(), "migrationJobs", pageSize)) {
            if (f.matches(job)) {
                out.add(Json.text(job, "id"));
            }
        }
        return out;
    }

    private JobFilter parsedFilter() {
        try {
            return JobFilter.parse(filter);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void check() {
        if (filter != null && !ids.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give job ids or --filter, not both");
        }
        if (filter == null && ids.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "which jobs? give one or more JOB_ID, or --filter state=...");
        }
        if (filter != null) {
            parsedFilter();
        }
    }
}
