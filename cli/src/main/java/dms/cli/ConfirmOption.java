package dms.cli;

import dms.cli.api.ApiException;
import java.io.Console;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --quiet} of the actions that cannot be undone (delete, promote, restart): on a terminal
 * they ask first, as gcloud does; a script (no terminal) or --quiet goes ahead without asking.
 */
public final class ConfirmOption {

    @Option(names = {"-q", "--quiet"}, description = "do not ask for confirmation (only asked on a terminal)")
    boolean quiet;

    /** Asks "QUESTION [y/N]" on the terminal; anything but y or yes ends the command, nothing done. */
    public void confirm(String question) {
        // Java 17: a console exists only when stdin and stdout are both terminals.
        Console console = System.console();
        if (quiet || console == null) {
            return;
        }
        String answer = console.readLine("%s [y/N] ", question);
        String a = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
        if (!a.equals("y") && !a.equals("yes")) {
            throw new ApiException(ExitCodes.ERROR, "not confirmed: nothing done (--quiet does not ask)");
        }
    }
}
