package dms.common.messages;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dms.common.json.Json;
import dms.common.messages.DumpControl.DatabaseWork;
import dms.common.messages.DumpControl.Verify;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** How a dump-worker obeys dms.dump-control: only a record newer than a task refuses or cancels it. */
class DumpControlTest {

    private static final DatabaseWork STOPPED = new DatabaseWork("sales", false, false, false, Verify.DIRECT);
    private static final DatabaseWork DUMPING = new DatabaseWork("sales", false, true, true, Verify.NONE);

    private static DumpControl control(long run, long version, DatabaseWork... work) {
        return new DumpControl("job-1", run, version, "STOPPED/FULL_DUMP", false, List.of(work));
    }

    private static DumpTask.Target target(long run, Long version) {
        return new DumpTask.Target("t", "job-1", run, version, "sales", null, null, null, 1);
    }

    private static DumpTask postData(long run, Long version) {
        return new DumpTask.PostData(target(run, version), 2, null);
    }

    @Test
    void onlyARecordNewerThanTheTaskRefusesIt() {
        assertTrue(control(3, 10, STOPPED).refusal(postData(3, 9L)).isPresent(), "a stop after the task was decided");
        assertTrue(control(3, 10, STOPPED).refusal(postData(3, 10L)).isEmpty(), "the record the task was decided with, or older");
        assertTrue(control(3, 10, STOPPED).refusal(postData(3, 11L)).isEmpty(), "a task that overtook its job's record runs");
        assertTrue(control(3, 10, DUMPING).refusal(postData(3, 9L)).isEmpty(), "still wanted");
        assertTrue(control(3, 10, STOPPED).refusal(postData(3, null)).isPresent(), "a task written before versions: any record decides");
    }

    @Test
    void aNewerRunRefusesEveryTaskButCleanupAndCopiesAreCancelledNotRefused() {
        DumpControl newerRun = control(4, 2, DUMPING);
        assertEquals("the job is in a newer run (4)", newerRun.refusal(postData(3, 50L)).orElseThrow());
        assertTrue(newerRun.refusal(new DumpTask.Cleanup(target(3, 50L), true)).isEmpty(), "cleanup always runs");
        DumpTask copy = new DumpTask.CopyTable(target(3, 50L), "snap", "0/1", null);
        assertTrue(newerRun.refusal(copy).isEmpty(), "a copy is answered CANCELLED by its handler, so the orchestrator counts it");
        assertTrue(newerRun.stops(3, 50L, "sales", DatabaseWork::copy), "and that handler is told to cancel it");
        assertFalse(control(2, 99, STOPPED).stops(3, 1L, "sales", DatabaseWork::copy), "an older run never stops a newer one");
    }

    @Test
    void aDatabaseTheRecordDoesNotListIsLeftAlone() {
        DumpTask prepareAdded = new DumpTask.PrepareDatabase(new DumpTask.Target("t", "job-1", 3, 9L, "added", null, null, null, 1),
                null, 2, null, null);
        assertTrue(control(3, 10, STOPPED).refusal(prepareAdded).isEmpty());
    }

    @Test
    void eachKindAsksForItsOwnPermission() {
        DatabaseWork prepared = new DatabaseWork("sales", false, true, true, Verify.NONE);
        assertTrue(control(3, 10, prepared).refusal(new DumpTask.PrepareDatabase(target(3, 9L), null, 2, null, null)).isPresent(),
                "a redelivered PREPARE of a planned database would replace its slot under the copies");
        assertTrue(control(3, 10, prepared).refusal(new DumpTask.VerifyData(target(3, 9L), "v", true)).isPresent());
        assertTrue(control(3, 10, STOPPED).refusal(new DumpTask.VerifyData(target(3, 9L), "v", false)).isEmpty());
        assertTrue(control(3, 10, new DatabaseWork("sales", false, true, false, Verify.NONE)).stops(3, 9L, "sales",
                DatabaseWork::holdSnapshot), "every table copied: the snapshot goes");
    }

    @Test
    void theSchemaNamesEveryFieldWritten() throws Exception {
        JsonNode schema = Json.MAPPER.readTree(Files.readString(Path.of("..", "docs", "schemas", "dump-control.schema.json")));
        JsonNode written = Json.MAPPER.readTree(Json.write(control(3, 10, STOPPED)));
        assertEquals(names(schema.path("properties")), names(written));
        assertEquals(names(schema.path("properties").path("databases").path("items").path("properties")),
                names(written.path("databases").get(0)));
        assertEquals(control(3, 10, STOPPED), Json.read(Json.write(control(3, 10, STOPPED)), DumpControl.class));
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
