package dms.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command (initdb, pg_ctl, the Kafka storage tool) to completion. */
final class Exec {
    private Exec() {
    }

    /**
     * Returns the combined output; throws with it on a non-zero exit or a timeout. The output goes to a
     * temporary file, not a pipe: {@code pg_ctl start} leaves a daemon behind, and a daemon that inherited
     * the pipe would keep a pipe reader waiting forever.
     */
    static String run(List<String> command, Path workingDir, Duration timeout) {
        Path output = null;
        try {
            output = Files.createTempFile("devstack-exec", ".out");
            Process process = new ProcessBuilder(command)
                    .directory(workingDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DevStackException(String.join(" ", command) + " did not finish within "
                        + timeout.toSeconds() + " s:\n" + Files.readString(output));
            }
            String text = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new DevStackException(String.join(" ", command) + " failed with exit code "
                        + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new DevStackException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
