package dms.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The commands against a stand-in of the API that answers canned documents: which calls they
 * make (paths, bodies, headers) and how answers become output and exit codes. The real API is
 * exercised by e2e-tests (CliWatchTest).
 */
class CommandsTest {
    private HttpServer server;
    private final List<String> calls = new ArrayList<>();
    private final Map<String, String[]> answers = new ConcurrentHashMap<>(); // "METHOD path" -> {status, body}
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        String key = ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        synchronized (calls) {
            calls.add(key + (body.isEmpty() ? "" : " " + body) + (auth == null ? "" : " [" + auth + "]"));
        }
        String[] a = answers.getOrDefault(key, new String[] {"404", "{\"status\":404,\"detail\":\"no route " + key + "\"}"});
        byte[] bytes = a[1].replace('\'', '"').getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", a[0].startsWith("2") ? "application/json" : "application/problem+json");
        ex.sendResponseHeaders(Integer.parseInt(a[0]), bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private void on(String call, int status, String body) {
        answers.put(call, new String[] {String.valueOf(status), body});
    }

    private int run(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--api", "http://127.0.0.1:" + server.getAddress().getPort()));
        all.addAll(List.of(args));
        return cmd.execute(all.toArray(String[]::new));
    }

    @Test
    void aFilteredActionUsesTheBatchEndpointWithTheMatchingJobs() {
        on("GET /v1/migration-jobs?state=STOPPED", 200, """
                {'migrationJobs': [{'id': 'a', 'state': 'STOPPED', 'phase': 'CDC'}, {'id': 'b', 'state': 'STOPPED', 'phase': 'FULL_DUMP'},
                                   {'id': 'c', 'state': 'STOPPED', 'phase': 'CDC'}]}""");
        on("POST /v1/migration-jobs:batchResume", 200, """
                {'name': 'operations/x', 'done': true, 'response': {'migrationJobs': [
                  {'id': 'a', 'state': 'RUNNING', 'phase': 'CDC'}, {'id': 'c', 'state': 'RUNNING', 'phase': 'CDC'}]}}""");
        assertEquals(0, run("jobs", "resume", "--filter", "state=STOPPED phase=CDC", "--token", "s3cret"));
        assertEquals(List.of("GET /v1/migration-jobs?state=STOPPED [Bearer s3cret]",
                "POST /v1/migration-jobs:batchResume {\"jobIds\":[\"a\",\"c\"]} [Bearer s3cret]"), calls);
        assertEquals("resume a: RUNNING/CDC\nresume c: RUNNING/CDC\n", out.toString());
    }

    @Test
    void aProfileUpdateSendsOnlyWhatChangesReadingTheTlsFilesItNames(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        java.nio.file.Path ca = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n");
        on("PATCH /v1/connection-profiles/prod-src", 200, "{'name': 'operations/u', 'done': true, 'response': {'id': 'prod-src'}}");
        assertEquals(0, run("profiles", "update", "prod-src", "--port", "6432", "--ssl-root-cert", ca.toString(), "--ssl-key", ""));
        assertEquals(List.of("PATCH /v1/connection-profiles/prod-src {\"port\":6432,"
                + "\"sslRootCert\":\"-----BEGIN CERTIFICATE-----\\nX\\n-----END CERTIFICATE-----\\n\",\"sslKey\":\"\"}"), calls);
        assertEquals("updated profile prod-src\n", out.toString());
        assertEquals(ExitCodes.USAGE, run("profiles", "update", "prod-src", "--ssl-cert", dir.resolve("missing.pem").toString()));
    }

    @Test
    void aBatchDeleteCanPurgeTheDestinations() {
        on("POST /v1/migration-jobs:batchDelete", 200, """
                {'name': 'operations/d', 'done': true, 'response': {'migrationJobs': [
                  {'id': 'a', 'state': 'DELETING', 'phase': 'CDC'}, {'id': 'b', 'state': 'DELETING', 'phase': 'CDC'}]}}""");
        assertEquals(0, run("jobs", "delete", "a", "b", "--purge-destination"));
        assertEquals(List.of("POST /v1/migration-jobs:batchDelete {\"purgeDestination\":true,\"jobIds\":[\"a\",\"b\"]}"), calls);
    }

    @Test
    void oneJobUsesItsCustomVerbAndWaitsForAnUndecidedOperation() {
        on("POST /v1/migration-jobs/orders:stop", 202, "{'name': 'operations/op-1', 'done': false}");
        on("GET /v1/operations/op-1", 200, "{'name': 'operations/op-1', 'done': true, 'response': {'id': 'orders', 'state': 'STOPPED', 'phase': 'CDC'}}");
        assertEquals(0, run("jobs", "stop", "orders"));
        assertEquals("stop orders: STOPPED/CDC\n", out.toString());
        assertEquals(List.of("POST /v1/migration-jobs/orders:stop", "GET /v1/operations/op-1"), calls);
    }

    @Test
    void errorsExitWithTheirCodeAndSayWhy() {
        on("POST /v1/migration-jobs/orders:promote", 409, """
                {'status': 409, 'detail': 'promote is not allowed for job orders in state NOT_STARTED',
                 'state': 'NOT_STARTED', 'allowedActions': ['EDIT', 'START']}""");
        assertEquals(ExitCodes.CONFLICT, run("jobs", "promote", "orders"));
        assertEquals("dms: promote is not allowed for job orders in state NOT_STARTED\n  state NOT_STARTED\n"
                + "  allowed actions: EDIT, START\n", err.toString());

        assertEquals(ExitCodes.NOT_FOUND, run("jobs", "describe", "nope"));

        on("POST /v1/connection-profiles", 400, "{'status': 400, 'detail': 'invalid profile', 'errors': [{'field': 'port', 'message': 'required: 1-65535'}, "
                + "{'field': 'host', 'message': 'required'}]}");
        assertEquals(ExitCodes.INVALID, run("profiles", "create", "p", "--host", "h", "--username", "u", "--port", "0"));
        assertTrue(err.toString().contains("dms: invalid profile\n  port: required: 1-65535\n  host: required\n"), err.toString());

        on("GET /v1/migration-jobs", 503, "{'status': 503, 'detail': 'the API is rebuilding its projection'}");
        assertEquals(ExitCodes.UNREACHABLE, run("jobs", "list"));

        on("GET /v1/connection-profiles", 401, "{'status': 401, 'detail': 'a bearer token is required'}");
        assertEquals(ExitCodes.UNAUTHORIZED, run("profiles", "list"));
    }

    @Test
    void aStartRefusedByThePreflightPrintsItsFindingsAndCanSkipIt() {
        on("POST /v1/migration-jobs/orders:start", 409, """
                {'status': 409, 'detail': 'start refused by the pre-flight: WAL_LEVEL_NOT_LOGICAL: wal_level is replica',
                 'state': 'NOT_STARTED', 'allowedActions': ['EDIT', 'START'],
                 'findings': [{'code': 'WAL_LEVEL_NOT_LOGICAL', 'severity': 'ERROR', 'message': 'wal_level is replica',
                               'action': 'set wal_level = logical'}]}""");
        assertEquals(ExitCodes.CONFLICT, run("jobs", "start", "orders"));
        assertTrue(err.toString().contains("  ERROR WAL_LEVEL_NOT_LOGICAL: wal_level is replica\n    fix: set wal_level = logical\n"),
                err.toString());

        on("POST /v1/migration-jobs:batchRestart", 200, """
                {'name': 'operations/r', 'done': true, 'response': {'migrationJobs': [{'id': 'a', 'state': 'RESTARTING'}]}}""");
        assertEquals(0, run("jobs", "restart", "a", "b", "--skip-validation"));
        assertEquals("POST /v1/migration-jobs:batchRestart {\"skipValidation\":true,\"jobIds\":[\"a\",\"b\"]}", calls.get(1));
    }

    @Test
    void aFailedVerifyPrintsTheFindingsAndExitsNine() {
        on("POST /v1/migration-jobs/orders:verify", 200, """
                {'name': 'operations/v', 'done': true, 'response': {'jobId': 'orders', 'passed': false, 'findings': [
                  {'code': 'SAME_SERVER', 'severity': 'ERROR', 'message': 'one server', 'action': 'another destination'},
                  {'code': 'TABLE_WITHOUT_PRIMARY_KEY', 'severity': 'WARNING', 'database': 'shop', 'message': 'no key'}]}}""");
        assertEquals(ExitCodes.CHECK_FAILED, run("jobs", "verify", "orders"));
        assertEquals("verify orders: pre-flight FAILED\n  ERROR SAME_SERVER: one server\n    fix: another destination\n"
                + "  WARNING TABLE_WITHOUT_PRIMARY_KEY (shop): no key\n", out.toString());
    }

    @Test
    void anOperationThatEndsInErrorExitsWithItsCode() {
        on("POST /v1/migration-jobs", 202, "{'name': 'operations/c', 'done': false}");
        on("GET /v1/operations/c", 200, "{'name': 'operations/c', 'done': true, 'error': {'code': 'ALREADY_EXISTS', 'message': 'job j exists'}}");
        assertEquals(ExitCodes.CONFLICT, run("jobs", "create", "j", "--source", "s", "--destination", "d", "--database", "a,b"));
        assertEquals("POST /v1/migration-jobs {\"id\":\"j\",\"source\":\"s\",\"destination\":\"d\",\"databases\":[\"a\",\"b\"]}", calls.get(0));
        assertEquals("dms: job j exists (ALREADY_EXISTS)\n", err.toString());
    }

    @Test
    void badUsageIsCodeTwoWithoutACall() {
        assertEquals(ExitCodes.USAGE, run("jobs", "stop"));
        assertEquals(ExitCodes.USAGE, run("jobs", "stop", "a", "--filter", "state=RUNNING"));
        assertEquals(ExitCodes.USAGE, run("jobs", "restart", "a", "b", "--database", "x"));
        assertEquals(ExitCodes.USAGE, run("jobs", "list", "--filter", "color=red"));
        assertEquals(List.of(), calls);
        assertTrue(err.toString().endsWith("dms: unknown filter key 'color' (keys: destination, phase, source, state)\n"
                + "see: dms jobs list --help\n"), err.toString());
    }

    @Test
    void jsonFormatPrintsTheApisDocuments() {
        on("GET /v1/migration-jobs", 200, "{'migrationJobs': [{'id': 'a', 'state': 'RUNNING', 'phase': 'CDC'}]}");
        assertEquals(0, run("--format", "json", "jobs", "list"));
        assertEquals("{\"migrationJobs\":[{\"id\":\"a\",\"state\":\"RUNNING\",\"phase\":\"CDC\"}]}",
                out.toString().replaceAll("\\s", ""));
    }

    @Test
    void watchInPlainModeEndsAtCompleted() {
        on("GET /v1/migration-jobs/j", 200, "{'id': 'j', 'state': 'COMPLETED', 'version': 9}");
        assertEquals(0, run("jobs", "watch", "j", "--plain"));
        assertTrue(out.toString().endsWith(" j COMPLETED\n"), out.toString());
        on("GET /v1/migration-jobs/j", 200, "{'id': 'j', 'state': 'FAILED', 'error': {'code': 'INTERNAL', 'message': 'boom'}}");
        assertEquals(ExitCodes.JOB_FAILED, run("jobs", "watch", "j", "--plain"));
        assertTrue(err.toString().contains("job j FAILED: boom"), err.toString());
    }

    @Test
    void listsAndFiltersReadEveryPage() {
        on("GET /v1/migration-jobs?state=STOPPED&pageSize=2", 200, """
                {'migrationJobs': [{'id': 'a', 'state': 'STOPPED', 'phase': 'CDC'}, {'id': 'b', 'state': 'STOPPED', 'phase': 'FULL_DUMP'}],
                 'nextPageToken': 'b/2'}""");
        on("GET /v1/migration-jobs?state=STOPPED&pageSize=2&pageToken=b%2F2", 200, """
                {'migrationJobs': [{'id': 'c', 'state': 'STOPPED', 'phase': 'CDC'}]}""");
        on("POST /v1/migration-jobs:batchResume", 200, "{'name': 'operations/x', 'done': true, 'response': {'migrationJobs': []}}");
        assertEquals(0, run("jobs", "resume", "--filter", "state=STOPPED phase=CDC", "--page-size", "2"));
        assertEquals("POST /v1/migration-jobs:batchResume {\"jobIds\":[\"a\",\"c\"]}", calls.get(2));

        on("GET /v1/connection-profiles", 200, "{'connectionProfiles': [{'id': 'p1'}], 'nextPageToken': 't'}");
        on("GET /v1/connection-profiles?pageToken=t", 200, "{'connectionProfiles': [{'id': 'p2'}]}");
        assertEquals(0, run("--format", "json", "profiles", "list"));
        assertEquals("{\"connectionProfiles\":[{\"id\":\"p1\"},{\"id\":\"p2\"}]}", out.toString().replaceAll("\\s", ""));
    }

    @Test
    void asyncPrintsTheOperationWithoutWaitingAndOperationsWaitFollowsIt() {
        on("POST /v1/migration-jobs/orders:promote", 202, "{'name': 'operations/p-1', 'done': false}");
        assertEquals(0, run("jobs", "promote", "orders", "--async"));
        assertEquals("operations/p-1: not done yet; follow it with: dms operations wait operations/p-1\n", out.toString());
        assertEquals(List.of("POST /v1/migration-jobs/orders:promote"), calls);

        on("GET /v1/operations/p-1", 200, """
                {'name': 'operations/p-1', 'done': true, 'response': {'id': 'orders', 'state': 'RUNNING', 'phase': 'PROMOTE_IN_PROGRESS'},
                 'metadata': {'type': 'PROMOTE', 'target': 'orders', 'requestedBy': 'cli', 'createTime': 't0', 'endTime': 't1'}}""");
        assertEquals(0, run("operations", "wait", "operations/p-1"));
        assertTrue(out.toString().contains("type:        PROMOTE\ntarget:      orders\n"), out.toString());
        assertTrue(out.toString().contains("response:    orders RUNNING/PROMOTE_IN_PROGRESS\n"), out.toString());

        on("GET /v1/operations/bad", 200, "{'name': 'operations/bad', 'done': true, 'error': {'code': 'FAILED_PRECONDITION', 'message': 'no'}}");
        assertEquals(0, run("operations", "describe", "bad"));
        assertEquals(ExitCodes.CONFLICT, run("operations", "wait", "bad"));
    }

    @Test
    void eventsArePrintedOldestFirst() {
        on("GET /v1/migration-jobs/j/events", 200, """
                {'events': [{'time': 't1', 'type': 'CREATED', 'message': 'created'},
                            {'time': 't2', 'type': 'STATUS_CHANGED', 'fromState': 'NOT_STARTED', 'toState': 'RUNNING', 'toPhase': 'FULL_DUMP'},
                            {'time': 't3', 'type': 'WORKER_REPORT', 'database': 'shop', 'message': 'dump started'}]}""");
        assertEquals(0, run("jobs", "events", "j"));
        assertEquals("t1  CREATED  created\nt2  STATUS_CHANGED  NOT_STARTED -> RUNNING/FULL_DUMP\nt3  WORKER_REPORT  shop  dump started\n",
                out.toString());
    }

    @Test
    void watchUntilCdcWithMaxLagIsACutOverGate() {
        on("GET /v1/migration-jobs/j", 200, """
                {'id': 'j', 'state': 'RUNNING', 'phase': 'CDC', 'databaseProgress': [
                  {'database': 'a', 'phase': 'CDC', 'lagSeconds': 0.4}, {'database': 'b', 'phase': 'CDC', 'lagSeconds': 3.0}]}""");
        assertEquals(0, run("jobs", "watch", "j", "--plain", "--until", "CDC"));
        assertEquals(0, run("jobs", "watch", "j", "--plain", "--max-lag", "5"));
        assertTrue(err.toString().contains("dms: job j is RUNNING/CDC: reached RUNNING/CDC with lag <= 5.0 s"), err.toString());
        assertEquals(ExitCodes.TIMED_OUT, run("jobs", "watch", "j", "--plain", "--max-lag", "1", "--timeout", "1", "--interval", "0.2"));
        assertEquals(ExitCodes.USAGE, run("jobs", "watch", "j", "--until", "COMPLETED", "--max-lag", "1"));
    }

    @Test
    void destructiveActionsGoAheadWithoutATerminalOrWithQuiet() {
        // No console in a test: nothing is asked (a terminal would ask "Delete job j? ... [y/N]").
        on("DELETE /v1/migration-jobs/j?purgeDestination=false", 200, "{'name': 'operations/d', 'done': true, 'response': {'id': 'j', 'state': 'DELETING'}}");
        assertEquals(0, run("jobs", "delete", "j"));
        assertEquals(0, run("jobs", "delete", "j", "--quiet"));
        assertEquals(2, calls.size());
    }

    @Test
    void aProfilesDatabasesArePrintedOnceTheirListingIsDone() {
        on("GET /v1/connection-profiles/src/databases", 202, "{'name': 'operations/l1', 'done': false}");
        on("GET /v1/operations/l1", 200, """
                {'name': 'operations/l1', 'done': true, 'response': {'connectionProfile': 'src', 'databases': [
                  {'name': 'orders', 'sizeBytes': 7340032, 'maintenance': false, 'migrationJobs': ['orders-1', 'orders-2']},
                  {'name': 'postgres', 'sizeBytes': 8192, 'maintenance': true, 'migrationJobs': []}]}}""");
        assertEquals(0, run("profiles", "databases", "src"), err.toString());
        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.get(0).startsWith("NAME"), out.toString());
        assertTrue(lines.get(1).startsWith("orders") && lines.get(1).contains("7.3 MB") && lines.get(1).contains("orders-1,orders-2"),
                out.toString());
        assertTrue(lines.get(2).startsWith("postgres") && lines.get(2).contains("maintenance"), out.toString());

        on("GET /v1/connection-profiles/down/databases", 502, """
                {'title': 'Database server unavailable', 'status': 502, 'code': 'UNAVAILABLE',
                 'detail': 'cannot list the databases of connection profile down (10.0.0.9:5432): Connection refused'}""");
        assertEquals(ExitCodes.UNREACHABLE, run("profiles", "databases", "down"));
        assertTrue(err.toString().contains("Connection refused"), err.toString());
    }
}
