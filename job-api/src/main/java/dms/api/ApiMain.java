package dms.api;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the service. {@code -Dkey=value} given after {@code -jar quarkus-run.jar} arrive as
 * program arguments, not system properties; they are made system properties here so both
 * spellings configure the service.
 */
@QuarkusMain
public class ApiMain {

    public static void main(String... args) {
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (arg.startsWith("-D") && eq > 2) {
                System.setProperty(arg.substring(2, eq), arg.substring(eq + 1));
            } else {
                rest.add(arg);
            }
        }
        Quarkus.run(rest.toArray(String[]::new));
    }
}
