package dms.common.validation;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DatabaseNamesTest {

    private static List<FieldError> check(List<String> names) {
        List<FieldError> errors = new ArrayList<>();
        CommandValidator.databases(names, "job.databases", errors);
        return errors;
    }

    @Test
    void aJobNamesAtMostAThousandDatabasesAndOneErrorSaysSo() {
        assertEquals(List.of(), check(IntStream.range(0, CommandValidator.MAX_DATABASES).mapToObj(i -> "db" + i).toList()));
        List<String> tooMany = IntStream.range(0, 20_000).mapToObj(i -> "").toList();
        assertEquals(List.of(new FieldError("job.databases", "at most 1000 databases, got 20000")), check(tooMany));
    }

    @Test
    void oddNamesAreDatabaseNamesButEmptyDuplicateAndTemplateAreNot() {
        assertEquals(List.of(), check(List.of("x\"; DROP DATABASE y; --", "with space", "ünïcödé", "My.DB")));
        assertEquals(3, check(List.of("", "a", "a", "template1")).size());
    }
}
