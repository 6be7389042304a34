package dms.api.console;

import dms.common.messages.ConnectionProfile;
import dms.common.messages.JobEvent;
import dms.common.messages.MigrationJob;
import dms.common.messages.Operation;
import dms.common.messages.PreflightReport;
import dms.common.messages.ProfileDatabases;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/**
 * The console's templates ({@code templates/console/<method>.html}), checked at build time
 * against these parameters. Pages are shells that load their fragments from {@code /ui/data/}.
 */
@CheckedTemplate(basePath = "console")
public final class Views {

    private Views() {}

    // pages (no data)
    public static native TemplateInstance jobsPage(List<String> states);
    public static native TemplateInstance jobPage(String id);
    public static native TemplateInstance newJobPage();
    public static native TemplateInstance profilesPage();
    public static native TemplateInstance profilePage(String id);
    public static native TemplateInstance loginPage();

    // fragments
    public static native TemplateInstance session(Caller caller);
    public static native TemplateInstance jobsTable(List<MigrationJob> jobs, String state, String search, Caller caller);
    public static native TemplateInstance bulkBar(BulkSelection selection, Caller caller);
    public static native TemplateInstance jobDetail(MigrationJob job, List<ActionButton> actions, JobEvent preflight, Caller caller);
    public static native TemplateInstance jobEvents(List<JobEvent> events);
    public static native TemplateInstance operationResult(String action, Operation operation, String operationId,
                                                          List<PreflightReport> reports);
    public static native TemplateInstance newJobForm(List<ConnectionProfile> profiles, Caller caller);
    public static native TemplateInstance newJobDatabases(ProfileDatabases listing, String operationId);
    public static native TemplateInstance profilesTable(List<ConnectionProfile> profiles, Caller caller);
    public static native TemplateInstance profileDetail(ConnectionProfile profile, List<MigrationJob> jobs);
}
