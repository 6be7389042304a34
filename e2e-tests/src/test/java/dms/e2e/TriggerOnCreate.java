package dms.e2e;

import dms.devstack.PgCluster;

/**
 * A fault planted in a destination database made ahead of a job: once the dump's pre-data creates
 * the table, an event trigger gives it a trigger (enabled ALWAYS, so it fires in the copy's
 * sessions too). The fault is thus in place before the first copy, whatever the timing, and
 * production code knows nothing of it.
 */
final class TriggerOnCreate {

    private TriggerOnCreate() {}

    /**
     * In {@code schema} of {@code db}: once {@code table} (schema-qualified) is created, its trigger
     * {@code name} runs {@code function} {@code when} (e.g. "BEFORE INSERT ... FOR EACH ROW").
     */
    static void arm(PgCluster destination, String db, String schema, String table, String name, String when, String function) {
        String trigger = "CREATE TRIGGER " + name + " " + when.replace("...", "ON " + table) + " EXECUTE FUNCTION " + function + "()";
        destination.execute(db, String.format("""
                CREATE FUNCTION %1$s.arm_%2$s() RETURNS event_trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE object_identity = '%3$s') THEN
                        %4$s;
                        ALTER TABLE %3$s ENABLE ALWAYS TRIGGER %2$s;
                    END IF;
                END $$;
                CREATE EVENT TRIGGER arm_%2$s ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION %1$s.arm_%2$s();
                """, schema, name, table, trigger));
    }
}
