package dms.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dms.common.messages.JobPatch;
import dms.common.messages.JobSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CdcParallelismTest {

    private static List<FieldError> create(Integer n) {
        List<FieldError> errors = new ArrayList<>();
        CommandValidator.job(new JobSpec("j", null, "s", "d", null, null, null, null, null, n), "job", errors);
        return errors;
    }

    private static List<FieldError> edit(Integer n) {
        List<FieldError> errors = new ArrayList<>();
        CommandValidator.patch(new JobPatch(null, null, null, null, null, n), "patch", errors);
        return errors;
    }

    @Test
    void oneToEightOrAbsent() {
        for (Integer n : new Integer[] {null, 1, 2, 8}) {
            assertEquals(List.of(), create(n), "create with " + n);
        }
        assertEquals(List.of(), edit(3));
    }

    @Test
    void anyOtherValueNamesTheField() {
        assertEquals(List.of(new FieldError("job.cdcParallelism", "1 to 8, got 0")), create(0));
        assertEquals(List.of(new FieldError("job.cdcParallelism", "1 to 8, got 9")), create(9));
        assertEquals(List.of(new FieldError("patch.cdcParallelism", "1 to 8, got -1")), edit(-1));
    }
}
