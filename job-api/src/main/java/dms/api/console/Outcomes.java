package dms.api.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dms.common.messages.Operation;
import dms.common.messages.PreflightReport;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what the API's own services answered into what the console sends back: a problem
 * stays the API's problem document (the page shows its text), an Operation becomes an HTML
 * fragment, with the pre-flight reports it carries, and tells the page to refresh.
 */
@ApplicationScoped
public class Outcomes {

    /** htmx: a {@code dms-refresh} event on the page's body, which the job and list fragments listen to. */
    static final String REFRESH = "dms-refresh";

    @Inject
    ObjectMapper json;

    /** The answer of an action: {@code answer} is the REST resource's, a problem or an Operation. */
    public Response of(String action, Response answer) {
        if (answer.getStatus() >= 400 || !(answer.getEntity() instanceof Operation op)) {
            return answer;
        }
        return html(render(action, op));
    }

    TemplateInstance render(String action, Operation op) {
        return Views.operationResult(action, op, operationId(op), reports(op));
    }

    static Response html(TemplateInstance fragment) {
        return Response.ok(fragment.render(), MediaType.TEXT_HTML_TYPE).header("HX-Trigger", REFRESH).build();
    }

    static String operationId(Operation op) {
        return op.name().startsWith(Operation.PREFIX) ? op.name().substring(Operation.PREFIX.length()) : op.name();
    }

    /** The pre-flight reports in a verify's response: one (a job before start) or {@code reports} (a batch). */
    List<PreflightReport> reports(Operation op) {
        List<PreflightReport> reports = new ArrayList<>();
        JsonNode response = op.response();
        if (response == null) {
            return reports;
        }
        if (response.has("reports")) {
            response.get("reports").forEach(r -> reports.add(report(r)));
        } else if (PreflightReport.TYPE.equals(response.path("verificationType").asText())) {
            reports.add(report(response));
        }
        return reports;
    }

    PreflightReport report(JsonNode node) {
        return json.convertValue(node, PreflightReport.class);
    }
}
