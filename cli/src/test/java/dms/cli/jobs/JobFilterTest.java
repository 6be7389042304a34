package dms.cli.jobs;

import static dms.cli.JsonText.json;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class JobFilterTest {

    @Test
    void stateGoesToTheApiAndEveryTermMustHold() throws Exception {
        JobFilter f = JobFilter.parse("state=stopped, phase=CDC");
        assertEquals("?state=STOPPED", f.query());
        assertTrue(f.matches(json("{'id': 'a', 'state': 'STOPPED', 'phase': 'CDC'}")));
        assertFalse(f.matches(json("{'id': 'a', 'state': 'STOPPED', 'phase': 'FULL_DUMP'}")));
        assertEquals("", JobFilter.parse("source=prod").query());
    }

    @Test
    void badTermsAreNamed() {
        assertEquals("unknown filter key 'owner' (keys: destination, phase, source, state)",
                assertThrows(IllegalArgumentException.class, () -> JobFilter.parse("owner=me")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobFilter.parse("RUNNING")).getMessage()
                .startsWith("filter term 'RUNNING' is not key=value"));
        assertThrows(IllegalArgumentException.class, () -> JobFilter.parse(" "));
    }
}
