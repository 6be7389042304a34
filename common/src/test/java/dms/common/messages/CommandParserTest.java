package dms.common.messages;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.json.Json;
import dms.common.validation.CommandParser;
import dms.common.validation.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandParserTest {

    @Test
    void aValidStartCommandRoundTrips() {
        Command start = Command.builder(CommandType.START).commandId("c-1").jobId("job-1").requestedBy("ci").build();
        CommandParser.Result r = CommandParser.parse(Json.write(start));
        assertTrue(r.ok(), r.reason());
        assertEquals(start.jobId(), r.command().jobId());
        assertEquals("job-1", r.command().kafkaKey());
    }

    @Test
    void garbageAndTruncatedJsonAreRefusedWithAReason() {
        assertFalse(CommandParser.parse("not json at all").ok());
        CommandParser.Result truncated = CommandParser.parse("{\"commandId\":\"x\",\"type\":\"START\",\"jobId\":\"jo");
        assertFalse(truncated.ok());
        assertTrue(truncated.reason().contains("not JSON"), truncated.reason());
        assertFalse(CommandParser.parse("").ok());
        assertFalse(CommandParser.parse("[1,2]").ok());
        assertFalse(CommandParser.parse("null").ok());
    }

    @Test
    void nulCharactersAreRefusedWhereverTheyAre() {
        CommandParser.Result r = CommandParser.parse("{\"commandId\":\"c\",\"type\":\"CREATE_JOB\",\"job\":{\"displayName\":\"a\\u0000b\"}}");
        assertFalse(r.ok());
        assertEquals("job.displayName", r.errors().get(0).field());
        assertFalse(r.reason().contains("\0"));
        assertFalse(CommandParser.parse("\u0000{}").reason().contains("\0"));
    }

    @Test
    void anUnknownTypeNamesTheFieldAndTheChoices() {
        CommandParser.Result r = CommandParser.parse("{\"commandId\":\"c\",\"type\":\"EXPLODE\",\"jobId\":\"j\"}");
        assertFalse(r.ok());
        assertEquals("type", r.errors().get(0).field());
        assertTrue(r.reason().contains("START"), r.reason());
    }

    @Test
    void wrongJsonTypeNamesTheField() {
        CommandParser.Result r = CommandParser.parse("{\"commandId\":\"c\",\"type\":\"START\",\"jobIds\":\"j\"}");
        assertFalse(r.ok());
        assertEquals("jobIds", r.errors().get(0).field());
    }

    @Test
    void everyBadFieldOfACreateJobIsNamed() {
        String raw = "{\"commandId\":\"c\",\"type\":\"CREATE_JOB\",\"job\":{\"id\":\"Bad_ID\",\"source\":\"p\",\"destination\":\"p\","
                + "\"databases\":[\"a\",\"a\",\"template0\",\"\"]}}";
        List<String> fields = CommandParser.parse(raw).errors().stream().map(FieldError::field).toList();
        assertEquals(List.of("job.id", "job.destination", "job.databases[1]", "job.databases[2]", "job.databases[3]"), fields);
    }

    @Test
    void batchRules() {
        Command both = Command.builder(CommandType.STOP).commandId("c").jobId("a").jobIds(List.of("a")).build();
        assertFalse(CommandParser.parse(Json.write(both)).ok());
        Command dup = Command.builder(CommandType.STOP).commandId("c").jobIds(List.of("a", "b", "a")).build();
        assertEquals("jobIds[2]", CommandParser.parse(Json.write(dup)).errors().get(0).field());
        Command ok = Command.builder(CommandType.STOP).commandId("c").jobIds(List.of("a", "b")).build();
        assertTrue(CommandParser.parse(Json.write(ok)).ok());
        assertTrue(ok.isBatch());
    }

    @Test
    void profileRules() {
        ConnectionProfile bad = new ConnectionProfile("p1", null, " ", 70000, "", "pw", null, "sometimes", null);
        Command c = Command.builder(CommandType.CREATE_CONNECTION_PROFILE).commandId("c").connectionProfile(bad).build();
        List<String> fields = CommandParser.parse(Json.write(c)).errors().stream().map(FieldError::field).toList();
        assertEquals(List.of("connectionProfile.host", "connectionProfile.port", "connectionProfile.username", "connectionProfile.sslMode"), fields);
    }

    @Test
    void aRefusedProfileCommandsReasonNeverQuotesThePassword() {
        String secret = "Hunter2-s3cret-";
        ConnectionProfile bad = new ConnectionProfile("p1", null, "db/x?password=" + secret, 70000, "", secret.repeat(100), null, "no", null);
        Command c = Command.builder(CommandType.CREATE_CONNECTION_PROFILE).commandId("c").connectionProfile(bad).build();
        CommandParser.Result r = CommandParser.parse(Json.write(c));
        assertEquals(5, r.errors().size(), r.reason());
        assertFalse(r.reason().contains("Hunter2"), r.reason());
        assertFalse(CommandParser.parse(Json.write(c).replace("\"password\":\"", "\"password\":")).reason().contains("Hunter2"));
    }

    @Test
    void profileToStringNeverShowsThePassword() {
        ConnectionProfile p = new ConnectionProfile("p1", null, "h", 5432, "u", "s3cret-pw", null, null, null);
        assertFalse(p.toString().contains("s3cret-pw"));
        Command c = Command.builder(CommandType.CREATE_CONNECTION_PROFILE).commandId("c").connectionProfile(p).build();
        assertFalse(c.toString().contains("s3cret-pw"));
    }
}
