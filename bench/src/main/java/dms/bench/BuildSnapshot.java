package dms.bench;

import dms.devstack.DmsService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A copy of the build output devstack runs (the broker's jars and the services' fast-jars), laid out like a
 * checkout so that it can be passed to {@code DevStack.start(workDir, root)}. Benchmarks run for minutes in a
 * checkout others may rebuild meanwhile: the services must not pick up new classes half-way through.
 */
final class BuildSnapshot {

    private BuildSnapshot() {}

    /**
     * Copies the broker jars and the services' builds into {@code target}; returns what was copied (each
     * service's application jar and when it was built). Services left out are "not built" in the copy, so
     * {@code startServices()} skips them.
     */
    static Map<String, Object> copy(Path repoRoot, Path target, boolean withWorkers) {
        Map<String, Object> info = new LinkedHashMap<>();
        copyTree(repoRoot.resolve("devstack/kafka-libs/target/lib"), target.resolve("devstack/kafka-libs/target/lib"));
        List<DmsService> services = new ArrayList<>(List.of(DmsService.JOB_ORCHESTRATOR, DmsService.JOB_API));
        if (withWorkers) {
            services.addAll(List.of(DmsService.DUMP_WORKER, DmsService.CDC_WORKER));
        }
        for (DmsService service : services) {
            Path app = repoRoot.resolve(service.moduleName()).resolve("target/quarkus-app");
            if (!service.isBuilt(repoRoot)) {
                throw new DmsClient.BenchException(service.moduleName() + " is not built: mvn -B install -DskipTests");
            }
            copyTree(app, target.resolve(service.moduleName()).resolve("target/quarkus-app"));
            info.put(service.moduleName(), appJarBuilt(app));
        }
        return info;
    }

    /** When the service's own classes were packaged (target/quarkus-app/app/*.jar). */
    private static String appJarBuilt(Path quarkusApp) {
        try (Stream<Path> jars = Files.list(quarkusApp.resolve("app"))) {
            return jars.filter(p -> p.toString().endsWith(".jar")).map(BuildSnapshot::modified).max(Instant::compareTo)
                    .map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new DmsClient.BenchException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
