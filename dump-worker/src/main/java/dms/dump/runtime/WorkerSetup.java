package dms.dump.runtime;

import dms.common.pg.PgConnector;
import dms.dump.schema.SchemaDump;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The dump-worker's own piece; what every worker is wired with is common's WorkerWiring. */
@ApplicationScoped
public class WorkerSetup {

    @Produces
    @jakarta.inject.Singleton
    SchemaDump schemaDump(PgConnector connector) {
        return new SchemaDump(connector);
    }
}
