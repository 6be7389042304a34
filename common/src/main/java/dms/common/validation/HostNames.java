package dms.common.validation;

import java.util.regex.Pattern;

/**
 * The one rule for a connection profile's {@code host}: a DNS host name, an IPv4 address or an
 * IPv6 address (bracketed or not). The host is pasted into a JDBC URL and libpq's PGHOST, so
 * anything else ({@code db/postgres?sslmode=disable}, {@code user@db}, {@code db:5433}) could
 * rewrite the connection; the validator and {@link dms.common.pg.PgConnector} both ask here.
 */
public final class HostNames {

    public static final String RULE = "a host name or IP address, e.g. db.example.com, 10.0.0.5 or [2001:db8::5]";

    /** Letters, digits, '-' and '_' (docker and k8s names), no '-' at either end, 1-63 per label. */
    private static final Pattern NAME = Pattern.compile(
            "[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern IPV4 = Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
            + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    private HostNames() {}

    public static boolean isValid(String host) {
        if (host == null || host.isEmpty() || host.length() > 253) { // DNS's limit; an IPv6 address is shorter
            return false;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            return isIpv6(host.substring(1, host.length() - 1));
        }
        if (host.indexOf(':') >= 0) {
            return isIpv6(host);
        }
        if (DIGITS_AND_DOTS.matcher(host).matches()) {
            return IPV4.matcher(host).matches(); // 999.1.1.1 is no name either
        }
        return NAME.matcher(host).matches();
    }

    /** Eight hex groups, fewer with one {@code ::}, the last two may be an IPv4 address; no zone ({@code %eth0}). */
    static boolean isIpv6(String s) {
        String[] halves = s.split("::", -1);
        if (halves.length > 2) {
            return false;
        }
        int groups = 0;
        for (int h = 0; h < halves.length; h++) {
            if (halves[h].isEmpty()) {
                continue;
            }
            String[] parts = halves[h].split(":", -1);
            for (int i = 0; i < parts.length; i++) {
                boolean last = h == halves.length - 1 && i == parts.length - 1;
                if (last && IPV4.matcher(parts[i]).matches()) {
                    groups += 2;
                } else if (HEX_GROUP.matcher(parts[i]).matches()) {
                    groups++;
                } else {
                    return false;
                }
            }
        }
        return halves.length == 2 ? groups <= 7 : groups == 8;
    }
}
