package dms.dump.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void outagesAndLocksAreRetriedRefusedDataIsNot() {
        for (String state : new String[] {"08006", "57P01", "55P03", "40001", "53300", "XX000"}) {
            assertTrue(Errors.retryable(new SQLException("x", state)), state);
        }
        assertTrue(Errors.retryable(new SQLException("no state")));
        for (String state : new String[] {"22P02", "23505", "42501", "42P01", "0A000"}) {
            assertFalse(Errors.retryable(new SQLException("x", state)), state);
        }
    }
}
