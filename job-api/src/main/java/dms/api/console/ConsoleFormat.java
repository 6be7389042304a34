package dms.api.console;

import io.quarkus.qute.TemplateExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the console writes numbers, sizes, durations and times: {@code {fmt:bytes(n)}} in a template. */
@TemplateExtension(namespace = "fmt")
public final class ConsoleFormat {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ConsoleFormat() {}

    /** 1536 → "1.5 KiB"; absent → "—". */
    static String bytes(Long value) {
        if (value == null) {
            return "—";
        }
        double v = value;
        int unit = 0;
        while (Math.abs(v) >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return unit == 0 ? value + " B" : String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    static String count(Long value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%,d", value);
    }

    /** 3725 → "1h 2m 5s". */
    static String duration(Long seconds) {
        if (seconds == null) {
            return "—";
        }
        Duration d = Duration.ofSeconds(seconds);
        if (d.toHours() > 0) {
            return d.toHours() + "h " + d.toMinutesPart() + "m " + d.toSecondsPart() + "s";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + "m " + d.toSecondsPart() + "s" : d.toSeconds() + "s";
    }

    static String seconds(Double value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%.1f s", value);
    }

    static String percent(Double value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%.1f %%", value);
    }

    static String time(Instant value) {
        return value == null ? "—" : TIME.format(value);
    }

    /** An enum or any value, "—" when absent. */
    static String text(Object value) {
        return value == null ? "—" : value.toString();
    }
}
