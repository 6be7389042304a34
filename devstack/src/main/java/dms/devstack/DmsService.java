package dms.devstack;

import java.nio.file.Files;
import java.nio.file.Path;

/** The four services, in the order a stack starts them: the orchestrator owns the control DB and the topics. */
public enum DmsService {
    JOB_ORCHESTRATOR("job-orchestrator"),
    JOB_API("job-api"),
    DUMP_WORKER("dump-worker"),
    CDC_WORKER("cdc-worker");

    private final String moduleName;

    DmsService(String moduleName) {
        this.moduleName = moduleName;
    }

    /** The Maven module, also the service's name in logs, state and bin/dms-local. */
    public String moduleName() {
        return moduleName;
    }

    public Path jar(Path repoRoot) {
        return repoRoot.resolve(moduleName).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public boolean isBuilt(Path repoRoot) {
        return Files.isRegularFile(jar(repoRoot));
    }

    public static DmsService byModuleName(String name) {
        for (DmsService service : values()) {
            if (service.moduleName.equals(name)) {
                return service;
            }
        }
        throw new IllegalArgumentException("unknown service " + name);
    }
}
