package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.devstack.PgCluster;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/dms jobs watch} on a real migration, as a user runs it: once on a terminal (a
 * pseudo-terminal from {@code script}), where it redraws bars per table during the dump and the
 * lag during CDC, and once into a pipe, where it prints plain lines. The test drives the job
 * (start, CDC, promote); both watchers must exit 0 when it is COMPLETED.
 */
class CliWatchTest {
    private static final String DB = "cli_watch";
    private static final String JOB = "cliw-1";
    private static final Path BIN_DMS = TestStack.get().repoRoot().resolve("bin/dms");

    @BeforeAll
    static void workersAndSource() {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
        PgCluster source = TestStack.get().source();
        source.createDatabase(DB);
        // ~25 MB over three tables: the big one is split into ranges (TestStack.RANGE_BYTES), so the
        // dump lasts long enough for a watcher polling every 0.2 s to draw it.
        source.execute(DB, """
                CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, body text);
                INSERT INTO items SELECT i, 'item ' || i, repeat(md5(i::text), 3) FROM generate_series(1, 200000) i;
                CREATE TABLE tags (id int PRIMARY KEY, tag text);
                INSERT INTO tags SELECT i, 'tag ' || i FROM generate_series(1, 5000) i;
                CREATE TABLE audit (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), what text);
                INSERT INTO audit (what) SELECT md5(i::text) FROM generate_series(1, 50000) i;
                """);
    }

    @Test
    void watchShowsTheMigrationOnATerminalAndInAPipeAndExitsZeroAtCompleted() throws Exception {
        createProfiles("cliw");
        createJob(JOB, "cliw", List.of(DB)).then().statusCode(200);
        String watch = BIN_DMS + " jobs watch " + JOB + " --interval 0.2";

        Path ttyLog = Files.createTempFile("dms-watch-tty", ".log");
        Process tty = dms(List.of("script", "-qec", watch, "/dev/null"))
                .redirectOutput(ttyLog.toFile()).start();
        // Not a terminal: a file, which the test can read while the watcher runs.
        Path pipedLog = Files.createTempFile("dms-watch-plain", ".log");
        Path pipedErrLog = Files.createTempFile("dms-watch-plain", ".err");
        Process piped = dms(List.of("bash", "-c", watch)).redirectOutput(pipedLog.toFile()).redirectError(pipedErrLog.toFile()).start();
        // Both watchers show the job before it starts (a JVM starting on a busy machine can take seconds).
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.size(ttyLog) > 0 && Files.size(pipedLog) > 0);

        action(JOB, "start").then().statusCode(200);
        awaitStatus(JOB, "RUNNING/CDC", 180);
        TestStack.get().source().execute(DB,
                "INSERT INTO audit (what) SELECT 'late ' || i FROM generate_series(1, 20000) i; UPDATE tags SET tag = tag || '!'");
        // The cdc-worker reports its lag every second: the watchers (polling every 0.2 s) must see a report.
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> job(JOB).jsonPath().get("databaseProgress[0].lagBytes") != null);
        Thread.sleep(1500);
        action(JOB, "promote").then().statusCode(200);
        awaitStatus(JOB, "COMPLETED", 120);

        assertTrue(tty.waitFor(30, TimeUnit.SECONDS), "the terminal watcher ends at COMPLETED");
        assertTrue(piped.waitFor(30, TimeUnit.SECONDS), "the piped watcher ends at COMPLETED");
        String screen = Files.readString(ttyLog);
        String plain = Files.readString(pipedLog);
        assertEquals(0, tty.exitValue(), screen);
        assertEquals(0, piped.exitValue(), plain + Files.readString(pipedErrLog));

        // On the terminal: frames redrawn in place, a bar per table during the dump, the lag during CDC.
        assertTrue(screen.contains("\u001b[") && screen.contains("F\u001b[J"), "frames are redrawn in place:\n" + screen);
        assertTrue(screen.matches("(?s).*public\\.items +\\[[#-]{20}\\] +\\d+%  (COPYING|QUEUED|COPIED).*"),
                "a bar for the big table during the dump:\n" + screen);
        assertTrue(screen.matches("(?s).*" + DB + "  FULL_DUMP  \\[[#-]{30}\\] +[\\d.]+%  tables \\d/3.*"), screen);
        assertTrue(screen.matches("(?s).*" + JOB + "  RUNNING/CDC\r?\n  " + DB + "  CDC  lag [\\d.]+ [kMG]?B, [\\d.]+ s.*"),
                "the lag during CDC:\n" + screen);
        assertTrue(lastFrame(screen).startsWith(JOB + "  COMPLETED"), "the last frame:\n" + lastFrame(screen));

        // In the pipe: plain lines, no terminal codes, one per change, ending at COMPLETED.
        assertFalse(plain.contains("\u001b"), plain);
        assertTrue(plain.matches("(?s).*\\d\\d:\\d\\d:\\d\\d " + JOB + " RUNNING/FULL_DUMP\n.*"), plain);
        assertTrue(plain.contains(JOB + " " + DB + " table public.items COPIED  200,000 rows"), plain);
        assertTrue(plain.matches("(?s).*" + JOB + " " + DB + " CDC  lag [\\d.]+ [kMG]?B, [\\d.]+ s.*"), plain);
        List<String> lines = plain.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(JOB + " COMPLETED")), plain);
        assertTrue(lines.size() < 2000, "one line per change, not per poll: " + lines.size());
    }

    /** bin/dms with the test stack's API, run from the repository root. */
    private static ProcessBuilder dms(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(TestStack.get().repoRoot().toFile())
                .redirectInput(new File("/dev/null"));
        pb.environment().put("DMS_API_URL", TestStack.apiUrl());
        pb.environment().remove("COLUMNS");
        return pb;
    }

    /** What the terminal shows at the end: the text after the last redraw. */
    private static String lastFrame(String screen) {
        int at = screen.lastIndexOf("\u001b[J");
        return (at < 0 ? screen : screen.substring(at + 3)).replace("\r", "");
    }
}
