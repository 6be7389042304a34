package dms.orchestrator.verify;

import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.RoleHandling;
import dms.common.messages.PreflightReport;
import dms.common.pg.PgConnector;
import dms.common.secret.SecretCipher;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStateMachine;
import dms.common.verify.preflight.FindingCode;
import dms.common.verify.preflight.PreflightCheck;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.MigrationJobEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the pre-flight before the command takes the write lock (it talks to the servers): for
 * VERIFY of jobs that have not started (DRAFT, NOT_STARTED), and for START and RESTART unless
 * the command says {@code skipValidation}: their ERROR findings refuse the command. The jobs are
 * checked {@value #PARALLEL} at a time on worker threads and the command consumer waits at most
 * {@code dms.verify.preflight-timeout} per round of checks; a check still running then is
 * reported as such.
 */
@ApplicationScoped
public class Preflights {

    private static final Logger LOG = Logger.getLogger(Preflights.class);
    /** Checks at once: each holds a few sessions on the job's servers. */
    static final int PARALLEL = 4;

    @Inject
    SecretCipher cipher;
    @ConfigProperty(name = "dms.verify.preflight-timeout", defaultValue = "30s")
    Duration timeout;
    @ConfigProperty(name = "dms.verify.statement-timeout", defaultValue = "10s")
    Duration statementTimeout;
    /** The dump-workers' pg_dump major, if the deployment declares it: a newer source is then a pre-flight error. */
    @ConfigProperty(name = "dms.preflight.pg-dump-major")
    Optional<Integer> pgDumpMajor;

    private final ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
        Thread t = new Thread(r, "dms-preflight");
        t.setDaemon(true);
        return t;
    });

    private record Target(String jobId, ConnectionProfile source, ConnectionProfile destination, List<String> databases,
                          RoleHandling roles, boolean replicaIdentityFull, int cdcParallelism, boolean restart) {}

    /** Whether the command runs the pre-flight (and is refused by its ERROR findings, except VERIFY, which reports them). */
    public static boolean checks(Command c) {
        return c.type() == CommandType.VERIFY
                || ((c.type() == CommandType.START || c.type() == CommandType.RESTART) && !Boolean.TRUE.equals(c.skipValidation()));
    }

    /**
     * A report per job of the command that the pre-flight applies to now; empty for other commands.
     * {@code resolvedDatabases}: "all databases" of a job as the start or restart will take them.
     */
    public Map<String, PreflightReport> runFor(Command c, Map<String, List<String>> resolvedDatabases) {
        if (!checks(c)) {
            return Map.of();
        }
        PreflightCheck check = new PreflightCheck(new PgConnector(cipher, "dms-orchestrator"), statementTimeout,
                pgDumpMajor.orElse(null));
        Map<String, Future<PreflightReport>> running = new LinkedHashMap<>();
        for (String jobId : c.targetJobIds()) {
            Target target = QuarkusTransaction.requiringNew().call(() -> target(jobId, c, resolvedDatabases.get(jobId)));
            if (target != null) {
                running.put(jobId, pool.submit(() -> target.restart()
                        ? check.runForRestart(target.jobId(), target.source(), target.destination(), target.databases(), target.roles(),
                                target.replicaIdentityFull(), target.cdcParallelism())
                        : check.run(target.jobId(), target.source(), target.destination(), target.databases(), target.roles(),
                                target.replicaIdentityFull(), target.cdcParallelism())));
            }
        }
        int rounds = Math.max(1, (running.size() + PARALLEL - 1) / PARALLEL);
        long deadline = System.nanoTime() + timeout.toNanos() * rounds;
        Map<String, PreflightReport> reports = new LinkedHashMap<>();
        running.forEach((jobId, future) -> reports.put(jobId, await(jobId, future, deadline)));
        return reports;
    }

    /** What to check for the job, or null when the command's action is not one its status allows (refused later). */
    private static Target target(String jobId, Command c, List<String> resolved) {
        MigrationJobEntity job = MigrationJobEntity.findById(jobId);
        if (job == null || job.state == JobState.DELETED) {
            return null;
        }
        boolean notStarted = job.state == JobState.DRAFT || job.state == JobState.NOT_STARTED;
        if (c.type() == CommandType.VERIFY ? !notStarted
                : JobStateMachine.apply(job.status(), c.type().action()).isEmpty()) {
            return null;
        }
        ConnectionProfileEntity source = ConnectionProfileEntity.findById(job.sourceProfile);
        ConnectionProfileEntity destination = ConnectionProfileEntity.findById(job.destinationProfile);
        if (source == null || destination == null) {
            return null;
        }
        boolean restart = c.type() == CommandType.RESTART;
        List<String> databases = restart && c.databases() != null && !c.databases().isEmpty() ? c.databases()
                : resolved != null ? resolved : job.requestedDatabases;
        return new Target(jobId, source.toMessage(true), destination.toMessage(true), List.copyOf(databases), job.roles,
                job.replicaIdentityFull, job.cdcParallelism, restart);
    }

    private PreflightReport await(String jobId, Future<PreflightReport> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return failed(jobId, "the pre-flight did not finish within " + timeout.toSeconds() + " s: a server answers slowly",
                    "verify again; if it keeps timing out, look at the servers' load and the network");
        } catch (ExecutionException e) {
            LOG.errorf(e.getCause(), "Pre-flight of job %s failed", jobId);
            return failed(jobId, "the pre-flight failed: " + e.getCause(), "verify again; report the error if it persists");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(jobId, "the pre-flight was interrupted", "verify again");
        }
    }

    private static PreflightReport failed(String jobId, String message, String action) {
        return PreflightReport.of(jobId, Instant.now(), null, null, Map.of(), List.of(new PreflightReport.Finding(
                FindingCode.CHECK_FAILED, PreflightReport.Severity.ERROR, null, null, null, message, action)));
    }

    @PreDestroy
    void close() {
        pool.shutdownNow();
    }
}
