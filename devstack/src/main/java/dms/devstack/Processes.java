package dms.devstack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starting long-running processes that may outlive this JVM, and ending them by handle. */
public final class Processes {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private Processes() {
    }

    /** The java of this JVM, so the broker and the services run on the same runtime as the launcher. */
    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Starts {@code command} in its own session ({@code setsid}: a Ctrl-C in the launcher's terminal does
     * not reach it, and it keeps running after the launcher exits) with stdout and stderr appended to
     * {@code logFile}. setsid execs in place (the child of a JVM is never a process group leader), so the
     * returned process is the command itself.
     */
    static Process startDetached(List<String> command, Path workingDir, Path logFile) {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            full.add(SETSID.toString());
        }
        full.addAll(command);
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(workingDir);
            return new ProcessBuilder(full)
                    .directory(workingDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new DevStackException("cannot start " + String.join(" ", full) + ": " + e.getMessage(), e);
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited after {@code grace}. Returns once it is gone. */
    public static void terminate(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(process, grace)) {
            kill(process);
        }
    }

    /** SIGKILL: the crash of a machine, as far as this process is concerned. Returns once it is gone. */
    public static void kill(ProcessHandle process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        if (!awaitExit(process, KILL_WAIT)) {
            throw new DevStackException("process " + process.pid() + " survived SIGKILL for " + KILL_WAIT.toSeconds() + " s");
        }
    }

    /** {@link #terminate(ProcessHandle, Duration)} of a child: returns once {@link Process#isAlive()} says so too. */
    public static void terminate(Process process, Duration grace) {
        terminate(process.toHandle(), grace);
        awaitExitSeen(process);
    }

    /** {@link #kill(ProcessHandle)} of a child: returns once {@link Process#isAlive()} says so too. */
    public static void kill(Process process) {
        kill(process.toHandle());
        awaitExitSeen(process);
    }

    /**
     * The handle's exit and {@link Process#isAlive()} are two callbacks of the same reaping, in no set order: a
     * start right after a kill could still find the old process "running".
     */
    private static void awaitExitSeen(Process process) {
        try {
            process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted while waiting for process " + process.pid() + " to exit", e);
        }
    }

    static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted while waiting for process " + process.pid() + " to exit", e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted", e);
        }
    }
}
