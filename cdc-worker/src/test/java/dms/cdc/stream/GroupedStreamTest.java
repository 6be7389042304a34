package dms.cdc.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dms.cdc.apply.TableRef;
import dms.cdc.newtables.NewTables;
import dms.cdc.promote.DrainResult;
import dms.cdc.testing.CdcFixture;
import dms.cdc.testing.WithClusters;
import dms.common.pg.ReplicationGroups;
import dms.common.sql.Lsn;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two replication groups of one database, set up as the prepare makes them (docs/cdc.md, "Parallel CDC"): both
 * publications, group 1's slot, then group 0's, whose LSN the "copy" is taken at. Group 1's slot sends what committed in
 * between, which the copy holds already: skipped by the sync LSN, else the keyless table would get a row twice. Then a
 * source transaction spanning both groups, and one drain marker for both.
 */
class GroupedStreamTest extends WithClusters {

    @Test
    void eachGroupAppliesItsTablesFromTheCopyOnAndOneMarkerDrainsBoth() throws Exception {
        TableRef acct = new TableRef("public", "acct");
        TableRef log = new TableRef("public", "log");
        CdcFixture f = new CdcFixture(clusters, "groups", "groups_db");
        String schema = "CREATE TABLE acct (id int PRIMARY KEY, n int NOT NULL); INSERT INTO acct SELECT g, 0 FROM generate_series(1, 10) g;"
                + " CREATE TABLE log (a int, b text); ALTER TABLE log REPLICA IDENTITY FULL; INSERT INTO log VALUES (0, 'seed')";
        f.source().createDatabase(f.database);
        f.destination().createDatabase(f.database);
        f.onSource(schema);
        f.destination().execute(f.database, schema);
        List<ReplicationGroups.Group> made = ReplicationGroups.first(f.slot, f.publication, 2);
        f.onSource("CREATE PUBLICATION " + made.get(0).publicationName() + " FOR TABLE acct;"
                + " CREATE PUBLICATION " + made.get(1).publicationName() + " FOR TABLE log");
        f.sourceQuery("SELECT lsn::text FROM pg_create_logical_replication_slot('" + made.get(1).slotName() + "', 'pgoutput')");
        String window = "INSERT INTO log VALUES (1, 'between the slots'); UPDATE acct SET n = 5 WHERE id = 5";
        f.onSource(window);
        Lsn snapshot = Lsn.parse(f.sourceQuery("SELECT lsn::text FROM pg_create_logical_replication_slot('" + f.slot + "', 'pgoutput')"));
        f.destination().execute(f.database, window); // the copy, at group 0's slot

        List<ReplicationGroups.Group> found;
        try (Connection source = f.source().connect(f.database)) {
            found = ReplicationGroups.find(source, f.slot, f.publication);
        }
        assertEquals(made, found, "the publications are the record of the groups");
        List<String> publications = found.stream().map(ReplicationGroups.Group::publicationName).toList();
        List<CdcStreamSpec> specs = found.stream().map(g -> new CdcStreamSpec(f.jobId, f.database, g.slotName(), g.publicationName(),
                clusters.profile(0), clusters.profile(1), Map.of(acct, snapshot, log, snapshot), null,
                new CdcStreamSpec.Group(g.index(), f.slot, publications))).toList();
        GroupedStream grouped = GroupedStream.start(specs, clusters.connections, NewTables.Options.DISABLED);
        clusters.streams.addAll(grouped.streams());

        f.onSource("BEGIN; INSERT INTO log VALUES (2, 'spans both groups'); UPDATE acct SET n = n + 1 WHERE id = 1; COMMIT");
        DrainResult drained = grouped.drain().get(90, TimeUnit.SECONDS);
        grouped.completion().get(90, TimeUnit.SECONDS);

        f.assertSameRows(acct, List.of("id"));
        f.assertSameRows(log, List.of());
        assertEquals("3", f.destinationQuery("SELECT count(*) FROM log"), "the row written between the slots once");
        assertEquals(1, grouped.streams().get(1).stats().skippedChanges(), "group 1 skipped what the copy holds");
        assertEquals(0, grouped.streams().get(0).stats().skippedChanges(), "group 0 starts at the copy");
        assertEquals("2", f.destinationQuery("SELECT count(*) FROM dms_internal.cdc_position WHERE job_id = 'groups'"
                + " AND commit_lsn >= '" + drained.targetLsn() + "'"), "each group's position, both past the drain's target");
        assertEquals(drained.appliedLsn(), grouped.position().commitLsn(), "the database is as far as its lowest group");
    }
}
