package dms.e2e.compose;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What configuration a service module reads, found in its sources: the keys of its
 * application.properties, the environment variables those reference ({@code ${DMS_SECRET_KEY:...}}),
 * and the names of {@code @ConfigProperty} injections in its code and in common's.
 */
final class ServiceConfig {
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    final Properties applicationProperties = new Properties();
    final Set<String> propertyNames = new HashSet<>();
    final Set<String> referencedVariables = new HashSet<>();

    static ServiceConfig of(Path repoRoot, String module) throws IOException {
        ServiceConfig config = new ServiceConfig();
        String properties = Files.readString(repoRoot.resolve(module).resolve("src/main/resources/application.properties"));
        config.applicationProperties.load(new StringReader(properties));
        for (String key : config.applicationProperties.stringPropertyNames()) {
            // %prod.x and x set the same property
            config.propertyNames.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
        }
        Matcher env = ENV_REFERENCE.matcher(properties);
        while (env.find()) {
            config.referencedVariables.add(env.group(1));
        }
        for (Path sources : List.of(repoRoot.resolve(module).resolve("src/main/java"), repoRoot.resolve("common/src/main/java"))) {
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = CONFIG_PROPERTY.matcher(Files.readString(file));
                    while (m.find()) {
                        config.propertyNames.add(m.group(1));
                    }
                }
            }
        }
        return config;
    }

    /**
     * The property an environment variable sets, by the MicroProfile/Quarkus rule (upper case,
     * every character other than a letter or digit an underscore: DMS_API_OPERATION_WAIT sets
     * dms.api.operation-wait), or the variable itself when application.properties reads it as
     * {@code ${VAR}}; null when the service reads nothing under that name.
     */
    String propertyOf(String variable) {
        if (referencedVariables.contains(variable)) {
            return "${" + variable + "}";
        }
        return propertyNames.stream().filter(p -> environmentName(p).equals(variable)).findFirst().orElse(null);
    }

    int httpPort() {
        return Integer.parseInt(applicationProperties.getProperty("quarkus.http.port"));
    }

    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
