package dms.dump.schema;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Runs a PostgreSQL client tool to completion: feeds stdin, collects stdout whole (a schema dump
 * is small) and keeps the tail of stderr for the error message. The child's libpq settings come
 * only from {@code env}: inherited PG* variables (PGSERVICE, PGOPTIONS, PGDATABASE...) are removed.
 */
final class ToolRun {

    static final int STDERR_LINES = 30;

    record Result(int exitCode, byte[] stdout, String stderrTail) {}

    private ToolRun() {}

    /** stdin null: the child reads /dev/null. The child is killed if this thread is interrupted. */
    static Result run(List<String> command, Map<String, String> env, byte[] stdin) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        builder.environment().putAll(env);
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new SchemaDumpException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        try {
            StderrTail stderr = new StderrTail(process.getErrorStream());
            stderr.start();
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            Thread stdoutReader = new Thread(() -> copy(process.getInputStream(), stdout), "tool-stdout");
            stdoutReader.setDaemon(true);
            stdoutReader.start();
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException e) {
                    // The tool exited early (an error): its exit code and stderr say why.
                }
            }
            int exit = process.waitFor();
            stdoutReader.join();
            stderr.join();
            return new Result(exit, stdout.toByteArray(), stderr.tail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaDumpException(command.get(0) + " interrupted", e);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads stderr as it comes (a full pipe would block the tool) and keeps the last lines. */
    private static final class StderrTail extends Thread {
        private final InputStream in;
        private final Deque<String> lines = new ArrayDeque<>();

        StderrTail(InputStream in) {
            super("tool-stderr");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (lines) {
                        lines.addLast(line);
                        if (lines.size() > STDERR_LINES) {
                            lines.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // the process is gone; what we have is the tail
            }
        }

        String tail() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }
}
