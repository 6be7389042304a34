package dms.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs bash command lines from the repository root, as a user types them: bin/dms against the test stack's API. */
final class BinDms {

    /** What a run printed (stdout and stderr together, in order) and its exit code. */
    record Result(int exit, String output) {}

    private BinDms() {}

    /** A bash script with DMS_API_URL set to the stack's API; stdin is {@code input} (a file), or /dev/null. */
    static Result bash(String script, Map<String, String> env, File input, int timeoutSeconds) {
        return run(List.of("bash", "-c", script), env, input, timeoutSeconds);
    }

    /** Under a pseudo-terminal ({@code script}), as on a terminal: the typed answers are read from {@code answers}. */
    static Result onTerminal(String commandLine, String answers) {
        try {
            Path in = Files.createTempFile("dms-answers", ".txt");
            Files.writeString(in, answers);
            return run(List.of("script", "-qec", commandLine, "/dev/null"), Map.of(), in.toFile(), 60);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Result run(List<String> command, Map<String, String> env, File input, int timeoutSeconds) {
        try {
            Path out = Files.createTempFile("dms-run", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(TestStack.get().repoRoot().toFile())
                    .redirectInput(input == null ? new File("/dev/null") : input)
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("DMS_API_URL", TestStack.apiUrl());
            pb.environment().remove("DMS_API_TOKEN");
            pb.environment().remove("COLUMNS");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                throw new AssertionError("still running after " + timeoutSeconds + " s: " + command + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).replace("\r", ""));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
