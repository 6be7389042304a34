package dms.common.messages;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dms.common.json.Json;
import dms.common.validation.HostNames;
import dms.common.validation.ResourceIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published JSON Schema of the command topic says what the code accepts. */
class CommandSchemaTest {

    private static JsonNode schema() throws Exception {
        return Json.MAPPER.readTree(Files.readString(Path.of("..", "docs", "schemas", "command.schema.json")));
    }

    @Test
    void typesAndFieldsMatchTheCode() throws Exception {
        JsonNode s = schema();
        List<String> types = new ArrayList<>();
        s.path("properties").path("type").path("enum").forEach(n -> types.add(n.asText()));
        assertEquals(Arrays.stream(CommandType.values()).map(Enum::name).toList(), types);

        List<String> fields = new ArrayList<>();
        s.path("properties").fieldNames().forEachRemaining(fields::add);
        List<String> recordFields = Arrays.stream(Command.class.getRecordComponents()).map(c -> c.getName()).toList();
        assertEquals(recordFields, fields, "every Command field is documented, in order");

        List<String> profileFields = new ArrayList<>();
        s.path("$defs").path("connectionProfile").path("properties").fieldNames().forEachRemaining(profileFields::add);
        List<String> profileRecord = Arrays.stream(ConnectionProfile.class.getRecordComponents()).map(c -> c.getName())
                .filter(name -> !name.endsWith("Time")).toList();
        assertEquals(profileRecord, profileFields, "every field a command may give a profile is documented, in order");

        List<String> parallelism = new ArrayList<>();
        s.path("$defs").path("jobSpec").path("properties").path("dumpParallelism").path("enum").forEach(n -> parallelism.add(n.asText()));
        assertEquals(Arrays.stream(DumpParallelism.values()).map(Enum::name).toList(), parallelism);

        List<String> roles = new ArrayList<>();
        s.path("$defs").path("roles").path("enum").forEach(n -> roles.add(n.asText()));
        assertEquals(Arrays.stream(RoleHandling.values()).map(Enum::name).toList(), roles);
    }

    @Test
    void hostPatternAdmitsEveryHostAndNoUrlPart() throws Exception {
        String pattern = schema().path("$defs").path("connectionProfile").path("properties").path("host").path("pattern").asText();
        for (String host : List.of("db", "db.example.com", "my_svc.ns", "10.0.0.5", "::1", "[2001:db8::5]", "::ffff:10.0.0.5")) {
            assertTrue(HostNames.isValid(host) && host.matches(pattern), host);
        }
        for (String host : List.of("db/postgres?sslmode=disable&x=", "user@db", "db#x", "db x", "db=x", "pg.example.com:5432", "[pg.example]")) {
            assertFalse(host.matches(pattern), host);
        }
    }

    @Test
    void idPatternIsTheOneTheValidatorUses() throws Exception {
        String pattern = schema().path("$defs").path("id").path("pattern").asText();
        for (String id : List.of("a", "job-1", "0abc", "a".repeat(63), "A", "-a", "a-", "a_b", "a".repeat(64), "")) {
            assertEquals(ResourceIds.isValid(id), id.matches(pattern), id);
        }
    }
}
