package dms.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dms.cli.ApiCommand;
import dms.cli.ExitCodes;
import dms.cli.api.ApiException;
import dms.cli.api.Operations;
import dms.cli.api.PathSegment;
import dms.cli.output.Json;
import java.time.Duration;
import java.time.LocalTime;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dms jobs watch ID}: follows a job until it ends. On a terminal it redraws a frame
 * (bars per table during the dump, lag during CDC); otherwise it prints a line per change
 * (with {@code --format json}, each new document on one line). Exits 0 at COMPLETED (or at
 * what --until and --max-lag ask for: {@link WatchGoal}), 7 at FAILED, 3 if the job is gone,
 * 10 when --timeout passes first.
 */
@Command(name = "watch", description = "Follow a job's progress until it is COMPLETED (exit 0) or FAILED (exit 7);"
        + " with --until CDC and --max-lag, until it replicates with a lag that small (the gate of a cut-over).")
public final class WatchCommand extends ApiCommand implements Callable<Integer> {

    @Parameters(paramLabel = "JOB_ID")
    String id;

    @Option(names = "--interval", defaultValue = "1", paramLabel = "SECONDS", description = "poll interval (default: 1)")
    double intervalSeconds;

    @Option(names = "--plain", description = "one line per change even on a terminal")
    boolean plain;

    @Option(names = "--unreachable-timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "give up (exit 6) when the API stays unreachable this long (default: 60)")
    long unreachableTimeout;

    @Option(names = "--until", paramLabel = "CDC|COMPLETED", defaultValue = "COMPLETED",
            description = "exit 0 once the job is RUNNING/CDC, or COMPLETED (default); COMPLETED satisfies CDC too")
    WatchGoal.Until until;

    @Option(names = "--max-lag", paramLabel = "SECONDS",
            description = "with --until CDC (implied): also wait until every database's lag is known and at most this")
    Double maxLagSeconds;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "give up (exit 10) if the goal is not reached by then")
    Long timeoutSeconds;

    @Override
    public Integer call() {
        if (maxLagSeconds != null && spec.commandLine().getParseResult().hasMatchedOption("--until") && until != WatchGoal.Until.CDC) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--max-lag applies to --until CDC");
        }
        WatchGoal goal = new WatchGoal(maxLagSeconds != null ? WatchGoal.Until.CDC : until, maxLagSeconds);
        long deadline = timeoutSeconds == null ? Long.MAX_VALUE : System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        Duration interval = Duration.ofMillis(Math.max(100, Math.round(intervalSeconds * 1000)));
        boolean tty = !plain && !json() && Terminal.interactive();
        Screen screen = tty ? new Screen(out()) : null;
        int width = tty ? Terminal.width() : Integer.MAX_VALUE;
        PlainLog log = new PlainLog();
        long lastVersion = -1;
        long unreachableSince = -1;
        while (true) {
            JsonNode job;
            try {
                job = api().get("/v1/migration-jobs/" + PathSegment.of(id));
                unreachableSince = -1;
            } catch (ApiException e) {
                if (e.exitCode() != ExitCodes.UNREACHABLE) {
                    throw e;
                }
                // A restarting API (or Kafka) should not end a watch of a migration that keeps running.
                long now = System.nanoTime();
                if (unreachableSince < 0) {
                    unreachableSince = now;
                    spec.commandLine().getErr().println("dms: " + e.getMessage() + " (retrying)");
                }
                if (now - unreachableSince > Duration.ofSeconds(unreachableTimeout).toNanos()) {
                    throw e;
                }
                Operations.sleep(interval);
                continue;
            }
            if (json()) {
                long version = job.path("version").asLong(-1);
                if (version != lastVersion) {
                    out().println(job.toString());
                    out().flush();
                    lastVersion = version;
                }
            } else if (tty) {
                screen.draw(JobFrame.render(job, width, 12));
            } else {
                printLines(log.next(job, LocalTime.now()));
            }
            if (out().checkError()) {
                // The reader went away (| head, a closed terminal): nobody to show the progress to.
                spec.commandLine().getErr().println("dms: the output was closed");
                return ExitCodes.ERROR;
            }
            if (goal.reached(job)) {
                if (goal.until() == WatchGoal.Until.CDC) {
                    spec.commandLine().getErr().println("dms: job " + id + " is " + Json.status(job) + ": reached " + goal.describe());
                }
                return ExitCodes.OK;
            }
            if (Json.text(job, "state", "").equals("FAILED")) {
                JsonNode error = job.path("error");
                spec.commandLine().getErr().println("dms: job " + id + " FAILED: " + Json.text(error, "message", "(no message)"));
                return ExitCodes.JOB_FAILED;
            }
            if (System.nanoTime() > deadline) {
                spec.commandLine().getErr().println("dms: job " + id + " is " + Json.status(job) + ", not " + goal.describe()
                        + " after " + timeoutSeconds + " s");
                return ExitCodes.TIMED_OUT;
            }
            Operations.sleep(interval);
        }
    }
}
