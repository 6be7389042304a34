package dms.orchestrator.dump;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which small tables go to a dump-worker several in one copy task, from the configuration:
 * {@code dms.dump.bundle.small-table-bytes} (16 MiB, estimated on the source), {@code dms.dump.bundle.max-tables}
 * (64; 1: every unit alone) and {@code dms.dump.bundle.max-bytes} (64 MiB). A bad value stops the orchestrator at start.
 */
@Startup
@Singleton
public class CopyBundleSettings {

    @ConfigProperty(name = "dms.dump.bundle.small-table-bytes", defaultValue = "16777216")
    long smallTableBytes;
    @ConfigProperty(name = "dms.dump.bundle.max-tables", defaultValue = "64")
    int maxTables;
    @ConfigProperty(name = "dms.dump.bundle.max-bytes", defaultValue = "67108864")
    long maxBytes;

    private CopyBundles bundles;

    @PostConstruct
    void init() {
        bundles = new CopyBundles(smallTableBytes, maxTables, maxBytes);
    }

    public CopyBundles bundles() {
        return bundles;
    }
}
