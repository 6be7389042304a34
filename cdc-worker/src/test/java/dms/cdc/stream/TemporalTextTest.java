package dms.cdc.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.debezium.connector.postgresql.connection.DateTimeFormat;
import org.junit.jupiter.api.Test;

/** Each case: the text PostgreSQL writes, decoded the way Debezium's pgoutput decoder does, and written back. */
class TemporalTextTest {

    private static final DateTimeFormat DECODER = DateTimeFormat.get();

    private static String date(String pg) {
        return TemporalText.date(DECODER.date(pg));
    }

    private static String timestamp(String pg) {
        return TemporalText.timestamp(switch (pg) {
            case "infinity" -> io.debezium.connector.postgresql.PostgresValueConverter.POSITIVE_INFINITY_INSTANT;
            case "-infinity" -> io.debezium.connector.postgresql.PostgresValueConverter.NEGATIVE_INFINITY_INSTANT;
            default -> DECODER.timestampToInstant(pg);
        });
    }

    private static String timestamptz(String pg) {
        return TemporalText.timestamptz(switch (pg) {
            case "infinity" -> io.debezium.connector.postgresql.PostgresValueConverter.POSITIVE_INFINITY_OFFSET_DATE_TIME;
            case "-infinity" -> io.debezium.connector.postgresql.PostgresValueConverter.NEGATIVE_INFINITY_OFFSET_DATE_TIME;
            default -> DECODER.timestampWithTimeZoneToOffsetDateTime(pg).withOffsetSameInstant(java.time.ZoneOffset.UTC);
        });
    }

    @Test
    void datesComeBackInPostgresTextForm() {
        for (String pg : new String[] {"2024-02-29", "0001-01-01", "9999-12-31", "10000-01-01", "5874897-12-31", "0001-01-01 BC",
                "0044-03-15 BC", "4713-11-24 BC", "infinity", "-infinity"}) {
            assertEquals(pg, date(pg));
        }
    }

    @Test
    void timestampsComeBackInPostgresTextFormToTheMicrosecond() {
        for (String pg : new String[] {"1999-12-31 23:59:59.999999", "2024-06-01 00:00:00", "2024-06-01 12:34:56.5",
                "2024-06-01 12:34:56.000001", "0044-03-15 10:00:00 BC", "294276-12-31 23:59:59.999999", "infinity", "-infinity"}) {
            assertEquals(pg, timestamp(pg));
        }
    }

    @Test
    void timestamptzComesBackAsTheSameInstantAtUtc() {
        assertEquals("2024-06-01 10:34:56.123456+00", timestamptz("2024-06-01 12:34:56.123456+02"));
        assertEquals("2024-01-01 00:00:00+00", timestamptz("2023-12-31 19:30:00-04:30"));
        assertEquals("0044-03-15 10:00:00+00 BC", timestamptz("0044-03-15 10:00:00+00 BC"));
        assertEquals("infinity", timestamptz("infinity"));
        assertEquals("-infinity", timestamptz("-infinity"));
    }

    @Test
    void timetzKeepsItsOwnOffset() {
        assertEquals("10:15:30.5+05:00", io.debezium.time.ZonedTime.toIsoString(TemporalText.timetz("10:15:30.5+05"), null, null));
        assertEquals("23:59:59.999999-03:30", io.debezium.time.ZonedTime.toIsoString(TemporalText.timetz("23:59:59.999999-03:30"), null, null));
        assertEquals("00:00+05:30:15", TemporalText.timetz("00:00:00+05:30:15").toString());
        assertEquals("00:00Z", TemporalText.timetz("00:00:00+00").toString());
    }
}
