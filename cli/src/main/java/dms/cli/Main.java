package dms.cli;

import dms.cli.api.ApiException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of {@code bin/dms}: runs the command, turns failures into a message and an exit code. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Dms());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof ApiException api) {
                err.println("dms: " + api.getMessage());
                err.flush();
                return api.exitCode();
            }
            if (e instanceof CommandLine.ParameterException p) {
                err.println("dms: " + p.getMessage());
                err.flush();
                return ExitCodes.USAGE;
            }
            throw e;
        });
        return cmd;
    }
}
