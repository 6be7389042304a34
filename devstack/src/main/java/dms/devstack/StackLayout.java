package dms.devstack;

import java.nio.file.Path;

/**
 * Where a stack keeps its things, in one directory, so that a later {@code down} or {@code status} (another JVM)
 * finds them: {@code pg/<cluster>/}, {@code kafka/}, {@code logs/<component>.log}, {@code state.properties}, {@code env}.
 */
public record StackLayout(Path dir) {
    public StackLayout {
        dir = dir.toAbsolutePath().normalize();
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    /** The log of a component: a cluster, {@code kafka}, or a service. */
    public Path log(String component) {
        return logs().resolve(component + ".log");
    }

    public Path pgFolder(String cluster) {
        return dir.resolve("pg").resolve(cluster);
    }

    public Path kafkaFolder() {
        return dir.resolve("kafka");
    }

    public Path stateFile() {
        return dir.resolve("state.properties");
    }

    public Path envFile() {
        return dir.resolve("env");
    }
}
