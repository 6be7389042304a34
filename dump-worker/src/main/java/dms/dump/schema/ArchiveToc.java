package dms.dump.schema;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A schema archive's table of contents as {@code pg_restore -l} lists it, and the lists that
 * restore a part of it ({@code pg_restore -L}). Entries are told apart by their dump id and the
 * source catalog's OIDs ({@code classid objid}), never by the names after them, which may hold
 * spaces.
 */
public final class ArchiveToc {

    /** pg_class: an INDEX entry's catalog. */
    public static final long PG_CLASS = 1259;
    /** pg_constraint: a CONSTRAINT entry's catalog. */
    public static final long PG_CONSTRAINT = 2606;

    /** {@code 215; 1259 16413 INDEX public wide_at postgres}: dump id, catalog, object, then the kind and names. */
    private static final Pattern ENTRY = Pattern.compile("^(\\d+); (\\d+) (\\d+) (.*)$");

    /** One entry; {@code rest} is the kind, schema, name and owner as listed. */
    public record Entry(String line, int dumpId, long catalog, long oid, String rest) {

        /** A plain index (not one behind a constraint, which pg_dump lists as the constraint). */
        public boolean isIndex() {
            return catalog == PG_CLASS && rest.startsWith("INDEX ");
        }

        /** A primary key, unique or exclusion constraint (a foreign key is listed as FK CONSTRAINT). */
        public boolean isKeyConstraint() {
            return catalog == PG_CONSTRAINT && rest.startsWith("CONSTRAINT ");
        }
    }

    private final String listing;
    private final List<Entry> entries;

    private ArchiveToc(String listing, List<Entry> entries) {
        this.listing = listing;
        this.entries = entries;
    }

    public static ArchiveToc parse(String listing) {
        List<Entry> entries = listing.lines().map(ENTRY::matcher).filter(Matcher::matches)
                .map(m -> new Entry(m.group(0), Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3)), m.group(4)))
                .toList();
        return new ArchiveToc(listing, entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** A list that restores only these entries. */
    public static String only(List<Entry> chosen) {
        return chosen.stream().map(Entry::line).collect(Collectors.joining("\n", "", "\n"));
    }

    /** The whole listing with the entries of {@code dumpIds} commented out: pg_restore -L skips them. */
    public String without(Set<Integer> dumpIds) {
        return listing.lines().map(line -> {
            Matcher m = ENTRY.matcher(line);
            return m.matches() && dumpIds.contains(Integer.parseInt(m.group(1))) ? ";" + line : line;
        }).collect(Collectors.joining("\n", "", "\n"));
    }
}
