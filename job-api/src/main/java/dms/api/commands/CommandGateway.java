package dms.api.commands;

import dms.api.config.ApiSettings;
import dms.api.projection.JobView;
import dms.api.projection.OperationView;
import dms.api.projection.ProjectionRouter;
import dms.common.messages.Command;
import dms.common.messages.Operation;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a checked command and waits for the orchestrator's verdict: one deadline
 * ({@code dms.api.operation-wait}) covers the broker's acknowledgement and the verdict, so no
 * call waits longer than that.
 */
@ApplicationScoped
public class CommandGateway {

    private static final int MAX_REQUESTED_BY = 128;

    @Inject
    ApiSettings settings;
    @Inject
    CommandPublisher publisher;
    @Inject
    OperationView operations;
    @Inject
    JobView jobs;
    @Inject
    CommandMetrics metrics;

    public Response submit(Command command) {
        long deadline = System.nanoTime() + settings.operationWait().toNanos();
        String name = Operation.nameOf(command.commandId());
        // Waiting starts before the send: the verdict may be read before the ack returns.
        CompletableFuture<Operation> verdict = operations.whenDone(name);
        try {
            publisher.publish(command, deadline);
            operations.accepted(name);
            metrics.published(command.type());
            Timer.Sample wait = metrics.startWait();
            try {
                Operation op = verdict.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                // Read-your-writes for a batch, as far as the deadline allows: the verdict stands either way.
                jobs.awaitVersions(ProjectionRouter.versionsNamedIn(op.response()), deadline);
                metrics.waited(wait, command.type(), op.error() == null ? "done" : "error");
                return VerdictResponses.of(op);
            } catch (TimeoutException e) {
                metrics.waited(wait, command.type(), "pending");
                return VerdictResponses.pending(name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return VerdictResponses.pending(name);
        } catch (ExecutionException e) {
            throw new IllegalStateException("verdict future failed", e.getCause());
        } finally {
            operations.forget(name, verdict);
        }
    }

    /** Who asked: the {@code X-Requested-By} header, else "api". */
    public static String requester(String header) {
        if (header == null || header.isBlank()) {
            return "api";
        }
        String trimmed = header.strip();
        return trimmed.length() <= MAX_REQUESTED_BY ? trimmed : trimmed.substring(0, MAX_REQUESTED_BY);
    }
}
