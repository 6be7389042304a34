package dms.common.messages;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dms.common.json.Json;
import dms.common.statemachine.WorkerSignal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Worker reports on dms.progress: one record per kind, one flat JSON object on the topic, as
 * docs/schemas/worker-event.schema.json says, and reports written before they had a kind still read as what they were.
 */
class WorkerEventJsonTest {

    private static final WorkerEvent.Header HEADER = WorkerEvent.Header.of("job-1", 3, "sales", "dump-worker-1")
            .withTask(new WorkerEvent.TaskRef(DumpTask.Kind.COPY_TABLE, 4, 2));

    /** One report of each kind with every field set. */
    private static List<WorkerEvent> everyKind() {
        CopyUnit unit = new CopyUnit(1, "public", "t", List.of("id"), CopyRange.WHOLE, 10, 1, 0);
        return List.of(new WorkerEvent.Signalled(HEADER, WorkerSignal.FAILED, "disk full"),
                new WorkerEvent.DumpStarted(HEADER, "slot", "0/1", "snap", List.of(unit), List.of("public.nokey"), List.of("public.nokey")),
                new WorkerEvent.SnapshotTaken(HEADER, "snap-2", "0/2"),
                new WorkerEvent.StreamProgress(HEADER, 10L, 0.5, 100L, -1L, "0/3", 2L),
                new WorkerEvent.StreamTrouble(HEADER, "connection reset"),
                new WorkerEvent.UnitDone(HEADER, new WorkerEvent.UnitReport(4, "public.t", WorkerEvent.UnitState.COPIED, 5, 50, 7, "e",
                        true, "snap"), List.of(new WorkerEvent.BundledUnitReport(new WorkerEvent.UnitReport(5, "public.u",
                        WorkerEvent.UnitState.CANCELLED, 0, 0, 0, null, true, "snap"), 1))),
                new WorkerEvent.DataChecked(HEADER, new WorkerEvent.DataCheckReport("c1", null, true, "n", true)),
                new WorkerEvent.Heartbeat(HEADER, "snap"),
                new WorkerEvent.NewTable(HEADER, new WorkerEvent.TableAdded("public.new", true, 1, 2, "0/4", 5)),
                new WorkerEvent.NewTableNotTaken(HEADER, new WorkerEvent.TableNotTaken("public.audit", "it has no primary key")));
    }

    @Test
    void everyKindIsOneFlatObjectThatReadsBackAsItsRecord() throws Exception {
        assertEquals(WorkerEvent.Kind.values().length, everyKind().size(), "a report of every kind");
        for (WorkerEvent e : everyKind()) {
            JsonNode json = Json.MAPPER.readTree(Json.write(e));
            assertEquals(e.kind().name(), json.path("kind").asText());
            assertEquals("job-1", json.path("jobId").asText(), "the header's fields are the report's own");
            assertEquals(2, json.path("task").path("attempt").asInt());
            assertEquals(e, Json.read(Json.write(e), WorkerEvent.class));
        }
    }

    @Test
    void theSchemaNamesEveryFieldOfEveryKind() throws Exception {
        for (WorkerEvent e : everyKind()) {
            assertEquals(KindSchemas.documentedFields("worker-event.schema.json", e.kind().name()), KindSchemas.writtenFields(e),
                    e.kind() + ": the fields written are those documented");
        }
    }

    @Test
    void aReportWrittenWithoutAKindIsReadByWhatItCarries() throws Exception {
        String head = "\"eventId\":\"e\",\"jobId\":\"j\",\"runEpoch\":1,\"database\":\"d\",\"worker\":\"w\"";
        assertEquals(WorkerSignal.DUMP_STARTED, assertInstanceOf(WorkerEvent.DumpStarted.class, read("{" + head
                + ",\"signal\":\"DUMP_STARTED\",\"slotName\":\"s\",\"consistentLsn\":\"0/1\",\"syncLsn\":\"0/1\",\"snapshotName\":\"x\"}")).signal());
        assertEquals("x", assertInstanceOf(WorkerEvent.SnapshotTaken.class, read("{" + head
                + ",\"signal\":\"RESUMED\",\"snapshotName\":\"x\",\"syncLsn\":\"0/2\"}")).snapshotName());
        assertEquals(WorkerSignal.RESUMED, assertInstanceOf(WorkerEvent.Signalled.class, read("{" + head + ",\"signal\":\"RESUMED\"}")).signal());
        assertEquals("boom", read("{" + head + ",\"signal\":\"FAILED\",\"error\":\"boom\"}").error());
        assertInstanceOf(WorkerEvent.StreamTrouble.class, read("{" + head + ",\"error\":\"CDC interrupted\"}"));
        assertEquals(7L, assertInstanceOf(WorkerEvent.StreamProgress.class, read("{" + head + ",\"retainedWalBytes\":7}")).retainedWalBytes());
        assertInstanceOf(WorkerEvent.Heartbeat.class, read("{" + head + ",\"task\":{\"kind\":\"POST_DATA\",\"attempt\":1}}"));
        assertInstanceOf(WorkerEvent.UnitDone.class, read("{" + head + ",\"unit\":{\"unitNo\":1,\"state\":\"COPIED\"}}"));
        assertInstanceOf(WorkerEvent.DataChecked.class, read("{" + head + ",\"dataCheck\":{\"verificationId\":\"c\",\"databaseDone\":true}}"));
        assertInstanceOf(WorkerEvent.NewTable.class, read("{" + head + ",\"tableAdded\":{\"table\":\"public.t\"}}"));
        assertInstanceOf(WorkerEvent.NewTableNotTaken.class, read("{" + head + ",\"tableNotTaken\":{\"table\":\"public.t\"}}"));
    }

    @Test
    void garbageIsNotAReport() {
        assertThrows(JsonProcessingException.class, () -> read("{\"kind\":\"REBOOT\",\"jobId\":\"j\"}"));
        assertThrows(JsonProcessingException.class, () -> read("[1, 2]"));
        assertThrows(JsonProcessingException.class, () -> read("{\"kind\":\"SIGNAL\",\"jobId\":\"j\",\"database\":\"d\"}"),
                "a signal report without its signal");
    }

    private static WorkerEvent read(String json) throws JsonProcessingException {
        return Json.read(json, WorkerEvent.class);
    }
}
