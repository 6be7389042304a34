package dms.common.sql;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class LsnAndIdentifiersTest {

    @Test
    void lsnParsesPrintsAndOrdersUnsigned() {
        assertEquals("16/B374D848", Lsn.parse("16/b374d848").toString());
        assertTrue(Lsn.parse("1/0").isAfter(Lsn.parse("0/FFFFFFFF")));
        assertTrue(Lsn.parse("FFFFFFFF/0").isAfter(Lsn.parse("1/0")), "compared unsigned");
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse("16"));
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse("1FFFFFFFF/0"));
    }

    @Test
    void identifiersAreQuoted() {
        assertEquals("\"x\"\"; DROP TABLE y; --\"", SqlIdentifiers.quote("x\"; DROP TABLE y; --"));
        assertEquals("\"My Schema\".\"t\u00e9\"", SqlIdentifiers.qualified("My Schema", "t\u00e9"));
        assertThrows(IllegalArgumentException.class, () -> SqlIdentifiers.quote(""));
        assertThrows(IllegalArgumentException.class, () -> SqlIdentifiers.quote("a\0b"));
    }
}
