package dms.cdc.upstream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** Our copy of connect-api's ConnectSchema (lazy error text) is the one in use and validates as the original did. */
class ConnectSchemaReplacementTest {

    private static final Schema ROW = SchemaBuilder.struct().name("row")
            .field("id", Schema.INT32_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("envelope")
            .field("after", ROW)
            .build();

    @Test
    void validValuesPass() {
        Struct row = new Struct(ROW).put("id", 1).put("note", null).put("tags", List.of("a", "b"));
        assertDoesNotThrow(() -> new Struct(ENVELOPE).put("after", row));
        assertDoesNotThrow(() -> ConnectSchema.validateValue(Schema.OPTIONAL_STRING_SCHEMA, null));
    }

    @Test
    void invalidValuesFailNamingTheField() {
        Struct row = new Struct(ROW);
        DataException wrongType = assertThrows(DataException.class, () -> row.put("id", "one"));
        assertEquals("Invalid Java object for schema with type INT32: class java.lang.String for field: \"id\"", wrongType.getMessage());
        DataException missing = assertThrows(DataException.class, () -> row.put("id", null));
        assertEquals("Invalid value: null used for required field: \"id\", schema type: INT32", missing.getMessage());
        DataException element = assertThrows(DataException.class, () -> row.put("tags", List.of("a", 2)));
        assertTrue(element.getMessage().endsWith("for element of array field: \"tags\""), element.getMessage());
        // A nested struct is still validated whole: its required id was never set.
        DataException nested = assertThrows(DataException.class, () -> new Struct(ENVELOPE).put("after", new Struct(ROW)));
        assertTrue(nested.getMessage().contains("field: \"id\""), nested.getMessage());
    }

    @Test
    void isOurCopyOfTheLibraryVersionInUse() {
        new UpstreamCopy(ConnectSchema.class, "connect-api", "4.3.0").assertReplaces();
    }
}
