package dms.cdc.stream;

import io.debezium.connector.postgresql.PostgresValueConverter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * PostgreSQL's own text form of the dates and timestamps the pgoutput decoder gives back, including
 * what Debezium's converters lose: {@code ±infinity} (decoded into sentinel values, which Debezium's
 * converters turn into out-of-range dates and timestamps the destination rejects), years after 9999
 * and BC dates. Hand-written rather than a {@code DateTimeFormatter}: this runs for every temporal
 * value of every change, and Debezium's own path builds a formatter per timestamptz value.
 */
public final class TemporalText {

    /** PostgreSQL's timetz output: {@code 10:15:30.5+05}, {@code 10:15:30-03:30}, {@code 10:15:30+05:30:15}. */
    private static final DateTimeFormatter TIMETZ = new DateTimeFormatterBuilder().append(DateTimeFormatter.ISO_LOCAL_TIME)
            .appendOffset("+HH:mm:ss", "+00").toFormatter();

    private TemporalText() {}

    /**
     * A {@code timetz} value as the source wrote it, offset included (Debezium's decoder moves it to
     * UTC, a different timetz value: see our replacement of {@code AbstractColumnValue}).
     */
    public static OffsetTime timetz(String pg) {
        try {
            return OffsetTime.parse(pg, TIMETZ);
        } catch (DateTimeParseException e) {
            throw new ConnectException("not a timetz value: '" + pg + "'", e);
        }
    }

    /** A {@code date} value: a {@link LocalDate}, or the decoder's infinity sentinels. */
    public static String date(LocalDate d) {
        if (d.equals(PostgresValueConverter.POSITIVE_INFINITY_LOCAL_DATE)) {
            return "infinity";
        }
        if (d.equals(PostgresValueConverter.NEGATIVE_INFINITY_LOCAL_DATE)) {
            return "-infinity";
        }
        StringBuilder sb = new StringBuilder(16);
        appendDate(sb, d);
        return bc(sb, d.getYear()).toString();
    }

    /** A {@code timestamp} value: the decoder gives the local date-time as an instant at UTC. */
    public static String timestamp(Instant at) {
        if (at.equals(PostgresValueConverter.POSITIVE_INFINITY_INSTANT)) {
            return "infinity";
        }
        if (at.equals(PostgresValueConverter.NEGATIVE_INFINITY_INSTANT)) {
            return "-infinity";
        }
        return timestamp(LocalDateTime.ofInstant(at, ZoneOffset.UTC));
    }

    public static String timestamp(LocalDateTime t) {
        StringBuilder sb = new StringBuilder(32);
        appendDateTime(sb, t);
        return bc(sb, t.getYear()).toString();
    }

    /** A {@code timestamptz} value: an instant (the decoder gives it at UTC, and so is it written). */
    public static String timestamptz(OffsetDateTime t) {
        if (t.equals(PostgresValueConverter.POSITIVE_INFINITY_OFFSET_DATE_TIME)) {
            return "infinity";
        }
        if (t.equals(PostgresValueConverter.NEGATIVE_INFINITY_OFFSET_DATE_TIME)) {
            return "-infinity";
        }
        LocalDateTime utc = t.getOffset().equals(ZoneOffset.UTC) ? t.toLocalDateTime()
                : t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        StringBuilder sb = new StringBuilder(40);
        appendDateTime(sb, utc);
        sb.append("+00");
        return bc(sb, utc.getYear()).toString();
    }

    private static void appendDateTime(StringBuilder sb, LocalDateTime t) {
        appendDate(sb, t.toLocalDate());
        sb.append(' ');
        LocalTime time = t.toLocalTime();
        pad(sb, time.getHour(), 2).append(':');
        pad(sb, time.getMinute(), 2).append(':');
        pad(sb, time.getSecond(), 2);
        int nanos = time.getNano();
        if (nanos != 0) {
            sb.append('.');
            pad(sb, nanos, 9);
            int end = sb.length();
            while (sb.charAt(end - 1) == '0') {
                end--;
            }
            sb.setLength(end);
        }
    }

    /** Year 0 of {@link LocalDate} is 1 BC, year -1 is 2 BC: PostgreSQL writes the BC year with a suffix. */
    private static void appendDate(StringBuilder sb, LocalDate d) {
        int year = d.getYear();
        pad(sb, year > 0 ? year : 1 - year, 4).append('-');
        pad(sb, d.getMonthValue(), 2).append('-');
        pad(sb, d.getDayOfMonth(), 2);
    }

    private static StringBuilder bc(StringBuilder sb, int year) {
        return year > 0 ? sb : sb.append(" BC");
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits);
    }
}
