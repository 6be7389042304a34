package dms.common.messages;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dms.common.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** A published schema of a topic whose records have a {@code kind}: the fields it documents for one kind. */
final class KindSchemas {

    private KindSchemas() {}

    /** The schema's common properties and those of the {@code oneOf} branch whose {@code kind} is {@code kind}. */
    static Set<String> documentedFields(String schemaFile, String kind) throws Exception {
        JsonNode schema = Json.MAPPER.readTree(Files.readString(Path.of("..", "docs", "schemas", schemaFile)));
        JsonNode branch = null;
        for (JsonNode b : schema.path("oneOf")) {
            if (b.path("properties").path("kind").path("const").asText().equals(kind)) {
                branch = b;
            }
        }
        assertNotNull(branch, schemaFile + " has a branch for " + kind);
        Set<String> documented = names(schema.path("properties"));
        documented.addAll(names(branch.path("properties")));
        return documented;
    }

    /** The fields a record is written with. */
    static Set<String> writtenFields(Object record) throws Exception {
        return names(Json.MAPPER.readTree(Json.write(record)));
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
