package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dms.common.json.Json;
import dms.devstack.PgCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A database whose plan (one report of all its copy units, each with its columns) is well over Kafka's default
 * 1 MB record, as thousands of tables or hundreds of wide ones make it: every table must arrive, the small ones in
 * bundles (a few copy tasks, not one per table). Hundreds of wide tables here, so that the suite stays short
 * (-Ddms.e2e.many-tables for more; the test stack builds each table's indexes right after its copy, which costs a
 * {@code pg_restore} run per table).
 */
class ManyTablesTest {

    private static final String DB = "many_tables";
    private static final int TABLES = Integer.getInteger("dms.e2e.many-tables", 400);
    private static final int COLUMNS = 80;

    @BeforeAll
    static void sourceWithManyTables() {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
        PgCluster source = TestStack.get().source();
        source.createDatabase(DB);
        StringBuilder columns = new StringBuilder("id int PRIMARY KEY");
        for (int c = 1; c < COLUMNS; c++) {
            columns.append(", a_rather_descriptive_column_name_for_the_tenant_").append(c).append(" text");
        }
        source.execute(DB, "DO $$ BEGIN FOR i IN 1.." + TABLES + " LOOP "
                + "EXECUTE format('CREATE TABLE tenant_table_%s (" + columns + ")', i); "
                + "EXECUTE format('INSERT INTO tenant_table_%s (id, a_rather_descriptive_column_name_for_the_tenant_1) VALUES (1, ''one''), (2, ''two'')', i); "
                + "END LOOP; END $$;");
    }

    @Test
    void everyTableArrivesThroughDumpAndCdc() throws Exception {
        createProfiles("many");
        createJob("many-1", "many", List.of(DB)).then().statusCode(200);
        long t0 = System.nanoTime();
        action("many-1", "start").then().statusCode(200);
        awaitStatus("many-1", "RUNNING/CDC", 600);
        System.out.printf("ManyTablesTest: %d tables dumped in %d s%n", TABLES, (System.nanoTime() - t0) / 1_000_000_000L);
        try (Connection dst = TestStack.get().destination().connect(DB)) {
            assertEquals(String.valueOf(TABLES), query(dst, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
            assertEquals(String.valueOf(2L * TABLES), query(dst, ROWS));
        }
        // Tables of two rows go to the worker in bundles: far fewer copy tasks (round trips) than tables.
        List<JsonNode> copies = new ArrayList<>();
        for (ConsumerRecord<String, String> r : KafkaProbe.readAll(KafkaProbe.TOPICS.dumpTasks())) {
            JsonNode task = Json.MAPPER.readTree(r.value());
            if ("many-1".equals(task.path("jobId").asText()) && "COPY_TABLE".equals(task.path("kind").asText())) {
                copies.add(task);
            }
        }
        int units = copies.stream().mapToInt(t -> 1 + t.path("bundle").size()).sum();
        assertTrue(units >= TABLES, "every table was sent: " + units);
        assertTrue(copies.size() <= TABLES / 8, copies.size() + " copy tasks for " + TABLES + " tables");
        TestStack.get().source().execute(DB, "INSERT INTO tenant_table_1 (id) VALUES (3); INSERT INTO tenant_table_" + TABLES
                + " (id) VALUES (3); DELETE FROM tenant_table_2 WHERE id = 1;");
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            try (Connection dst = TestStack.get().destination().connect(DB)) {
                assertEquals(String.valueOf(2L * TABLES + 1), query(dst, ROWS));
            }
        });
    }

    /** Every table's rows, summed on the server. */
    private static final String ROWS = "SELECT sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', "
            + "schemaname, tablename), false, true, '')))[1]::text::bigint) FROM pg_tables WHERE schemaname = 'public'";

    private static String query(Connection c, String sql) throws Exception {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
