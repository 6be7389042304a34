package dms.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * {@code env}: the stack's endpoints as shell assignments ({@code source .dms-local/env}), plain
 * {@code KEY=value} lines so that other readers (docker --env-file, a properties parser) can take them too.
 * The PostgreSQL URLs point at the {@code postgres} database as superuser {@code dms}, who may create databases.
 */
final class EnvFile {
    private EnvFile() {
    }

    static void write(StackLayout layout, DevStack stack) {
        StringBuilder env = new StringBuilder("# dms-local endpoints, written by bin/dms-local up. Use: source ")
                .append(layout.envFile()).append('\n');
        Map<DmsService, ServiceProcess> services = stack.services();
        url(env, "DMS_API_URL", services.get(DmsService.JOB_API), DmsService.JOB_API);
        url(env, "DMS_ORCHESTRATOR_URL", services.get(DmsService.JOB_ORCHESTRATOR), DmsService.JOB_ORCHESTRATOR);
        url(env, "DMS_DUMP_WORKER_URL", services.get(DmsService.DUMP_WORKER), DmsService.DUMP_WORKER);
        url(env, "DMS_CDC_WORKER_URL", services.get(DmsService.CDC_WORKER), DmsService.CDC_WORKER);
        env.append("KAFKA_BOOTSTRAP=").append(stack.bootstrapServers()).append('\n');
        env.append("SOURCE_PG_URL=").append(stack.source().libpqUrl("postgres")).append('\n');
        env.append("DEST_PG_URL=").append(stack.destination().libpqUrl("postgres")).append('\n');
        env.append("CONTROL_PG_URL=").append(stack.control().libpqUrl("postgres")).append('\n');
        try {
            Files.writeString(layout.envFile(), env);
        } catch (IOException e) {
            throw new DevStackException("cannot write " + layout.envFile() + ": " + e.getMessage(), e);
        }
    }

    static void delete(StackLayout layout) {
        try {
            Files.deleteIfExists(layout.envFile());
        } catch (IOException e) {
            throw new DevStackException("cannot delete " + layout.envFile() + ": " + e.getMessage(), e);
        }
    }

    private static void url(StringBuilder env, String variable, ServiceProcess process, DmsService service) {
        if (process == null) {
            env.append("# ").append(variable).append(" unset: ").append(service.moduleName()).append(" is not built\n");
        } else {
            env.append(variable).append('=').append(process.url()).append('\n');
        }
    }
}
