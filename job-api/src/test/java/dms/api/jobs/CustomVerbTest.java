package dms.api.jobs;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.statemachine.JobAction;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CustomVerbTest {

    @Test
    void everyCustomVerbMapsToItsAction() {
        assertEquals(Optional.of(new CustomVerb("job-1", JobAction.START)), CustomVerb.parse("job-1:start"));
        assertEquals(JobAction.STOP, CustomVerb.parse("job-1:stop").orElseThrow().action());
        assertEquals(JobAction.RESUME, CustomVerb.parse("job-1:resume").orElseThrow().action());
        assertEquals(JobAction.RESTART, CustomVerb.parse("job-1:restart").orElseThrow().action());
        assertEquals(JobAction.PROMOTE, CustomVerb.parse("job-1:promote").orElseThrow().action());
        assertEquals(JobAction.VERIFY, CustomVerb.parse("job-1:verify").orElseThrow().action());
    }

    @Test
    void splitsOnTheLastColon() {
        CustomVerb verb = CustomVerb.parse("a:b:stop").orElseThrow();
        assertEquals("a:b", verb.jobId());
        assertEquals(JobAction.STOP, verb.action());
    }

    @Test
    void editAndDeleteAreNotVerbsAndUnknownOrMissingVerbsAreRefused() {
        assertTrue(CustomVerb.parse("job-1:edit").isEmpty());
        assertTrue(CustomVerb.parse("job-1:delete").isEmpty());
        assertTrue(CustomVerb.parse("job-1:explode").isEmpty());
        assertTrue(CustomVerb.parse("job-1:START").isEmpty());
        assertTrue(CustomVerb.parse("job-1").isEmpty());
        assertTrue(CustomVerb.parse("job-1:").isEmpty());
        assertTrue(CustomVerb.parse(":start").isEmpty());
        assertTrue(CustomVerb.parse(null).isEmpty());
    }
}
