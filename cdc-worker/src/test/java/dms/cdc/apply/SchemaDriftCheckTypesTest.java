package dms.cdc.apply;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The type names Debezium gives against pg_type's on the destination: the same type is never drift. */
class SchemaDriftCheckTypesTest {

    @Test
    void serialColumnsAreTheIntegerUnderneath() {
        // Debezium 3.7 names a serial column by its serial name (CdcTest: "bigserial on the source but int8 on the destination").
        assertTrue(SchemaDriftCheck.sameType("BIGSERIAL", "int8"));
        assertTrue(SchemaDriftCheck.sameType("SERIAL", "int4"));
        assertTrue(SchemaDriftCheck.sameType("SMALLSERIAL", "int2"));
        assertFalse(SchemaDriftCheck.sameType("BIGSERIAL", "int4"), "a changed type is still drift");
    }

    @Test
    void typnamesAndQualifiedUserTypes() {
        assertTrue(SchemaDriftCheck.sameType("INT8", "int8"));
        assertTrue(SchemaDriftCheck.sameType("\"public\".\"mood\"", "mood"));
        assertFalse(SchemaDriftCheck.sameType("TEXT", "int8"));
    }
}
