package dms.common.messages;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dms.common.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dump tasks on dms.dump-tasks: one record per kind, one flat JSON object on the topic, as
 * docs/schemas/dump-task.schema.json says, and tasks written before the records were typed still read.
 */
class DumpTaskJsonTest {

    private static final ConnectionProfile PROFILE = new ConnectionProfile("src", null, "h", 5432, "u", null, "enc:x", "prefer", null);
    private static final DumpTask.Target TARGET = DumpTask.Target.of("job-1", 3, 17, "sales", PROFILE, PROFILE, 2);
    private static final CopyUnit UNIT = new CopyUnit(4, "public", "orders", List.of("id", "body"),
            new CopyRange(CopyRange.Kind.CTID, null, 0L, 128L), 1000, 10, 0);
    private static final CopyUnit SMALL = new CopyUnit(5, "public", "codes", List.of("code"), CopyRange.WHOLE, 8192, 3, 0);

    /** One task of each kind with every field set. */
    private static List<DumpTask> everyKind() {
        return List.of(new DumpTask.PrepareDatabase(TARGET, true, 4, RoleHandling.SKIP, true, 2),
                new DumpTask.CopyTable(TARGET, "00000003-0000001B-1", "0/1A2B", UNIT, List.of(new DumpTask.BundledUnit(SMALL, 1))),
                new DumpTask.NewSnapshot(TARGET, List.of(new TableName("public", "orders"))),
                new DumpTask.PostData(TARGET, 2, RoleHandling.REQUIRE_EXISTING),
                new DumpTask.Cleanup(TARGET, true),
                new DumpTask.VerifyData(TARGET, "check-1", true));
    }

    @Test
    void everyKindIsOneFlatObjectThatReadsBackAsItsRecord() throws Exception {
        assertEquals(DumpTask.Kind.values().length, everyKind().size(), "a task of every kind");
        for (DumpTask task : everyKind()) {
            JsonNode json = Json.MAPPER.readTree(Json.write(task));
            assertEquals(task.kind().name(), json.path("kind").asText());
            assertEquals("job-1", json.path("jobId").asText(), "the target's fields are the task's own");
            assertEquals(2, json.path("attempt").asInt());
            assertEquals(17, json.path("jobVersion").asLong(), "the version of the job it was decided in");
            assertEquals(ReplicationNames.slot("job-1", "sales"), json.path("slotName").asText());
            assertEquals(task, Json.read(Json.write(task), DumpTask.class));
        }
    }

    @Test
    void aBundleIsCopiedAsOneTaskPerUnitEachWithItsOwnAttempt() {
        DumpTask.CopyTable bundle = new DumpTask.CopyTable(TARGET, "snap", "0/1", UNIT, List.of(new DumpTask.BundledUnit(SMALL, 1)));
        List<DumpTask.CopyTable> units = bundle.oneByOne();
        assertEquals(List.of(4, 5), units.stream().map(DumpTask.CopyTable::unitNo).toList());
        assertEquals(List.of(2, 1), units.stream().map(DumpTask::attempt).toList(), "the task's attempt, then the bundled unit's");
        assertTrue(units.stream().allMatch(u -> u.bundle().isEmpty() && u.snapshotName().equals("snap") && u.jobId().equals("job-1")));
        DumpTask.CopyTable alone = new DumpTask.CopyTable(TARGET, "snap", "0/1", UNIT);
        assertEquals(List.of(alone), alone.oneByOne());
        assertFalse(Json.write(alone).contains("bundle"), "a task of one unit is written as before");
    }

    @Test
    void theSchemaNamesEveryFieldOfEveryKind() throws Exception {
        for (DumpTask task : everyKind()) {
            assertEquals(KindSchemas.documentedFields("dump-task.schema.json", task.kind().name()), KindSchemas.writtenFields(task),
                    task.kind() + ": the fields written are those documented");
        }
    }

    @Test
    void aTaskWrittenBeforeTheTypedRecordsStillReads() throws Exception {
        String copy = """
                {"taskId":"t-1","kind":"COPY_TABLE","jobId":"job-1","runEpoch":3,"database":"sales","table":"public.orders",
                 "createTime":"2026-12-01T10:00:00Z","slotName":"dms_job_1_sales","publicationName":"dms_job_1_sales",
                 "snapshotName":"snap","unit":{"unitNo":4,"schema":"public","table":"orders","range":{"kind":"WHOLE"},
                 "estimatedBytes":1,"estimatedRows":1},"syncLsn":"0/5","attempt":1}""";
        DumpTask.CopyTable task = assertInstanceOf(DumpTask.CopyTable.class, Json.read(copy, DumpTask.class));
        assertEquals("snap", task.snapshotName());
        assertEquals(4, task.unitNo());
        assertEquals("job-1/sales#4", task.kafkaKey());
        assertEquals(new WorkerEvent.TaskRef(DumpTask.Kind.COPY_TABLE, 4, 1), task.ref(task.attempt()));

        String prepare = """
                {"taskId":"t-2","kind":"PREPARE_DATABASE","jobId":"job-1","runEpoch":3,"database":"sales","purgeDestination":true,
                 "parallelism":4,"createTime":"2026-12-01T10:00:00Z"}""";
        DumpTask.PrepareDatabase p = assertInstanceOf(DumpTask.PrepareDatabase.class, Json.read(prepare, DumpTask.class));
        assertTrue(p.purgeDestination());
        assertNull(p.attempt(), "sent without a lease");
        assertEquals("job-1/sales", p.kafkaKey());
    }

    @Test
    void anUnknownOrMissingKindIsNotATask() {
        assertThrows(JsonProcessingException.class, () -> Json.read("{\"kind\":\"DROP_EVERYTHING\",\"jobId\":\"j\"}", DumpTask.class));
        assertThrows(JsonProcessingException.class, () -> Json.read("{\"jobId\":\"j\",\"database\":\"d\"}", DumpTask.class));
    }
}
