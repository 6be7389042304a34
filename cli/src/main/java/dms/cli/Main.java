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
        // A bad command line: the reason and where the help is, not the whole usage text.
        cmd.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("dms: " + e.getMessage());
            err.println("see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            err.flush();
            return ExitCodes.USAGE;
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof ApiException api) {
                err.println("dms: " + api.getMessage());
                err.flush();
                return api.exitCode();
            }
            throw e;
        });
        return cmd;
    }
}
