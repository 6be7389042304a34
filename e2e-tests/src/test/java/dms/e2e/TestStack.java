package dms.e2e;

import dms.devstack.DevStack;
import dms.devstack.DmsService;
import dms.devstack.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The system under test, started once per test JVM: a real Kafka broker, three real
 * PostgreSQL clusters and the four services as real processes (devstack). Test classes share
 * it and keep apart by using their own job and profile ids.
 */
public final class TestStack {

    private static DevStack stack;

    private TestStack() {}

    public static synchronized DevStack get() {
        if (stack == null) {
            try {
                // The clusters run as the postgres user when the tests run as root: it must enter the folder.
                Path dir = Files.createTempDirectory("dms-e2e-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                stack = DevStack.start(dir);
                stack.startServices();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return stack;
    }

    public static ServiceProcess service(DmsService service) {
        return get().service(service).orElseThrow(() -> new IllegalStateException(service + " is not built"));
    }

    public static String apiUrl() {
        return service(DmsService.JOB_API).url();
    }
}
