package dms.common.validation;

import java.util.UUID;
import java.util.regex.Pattern;

/** Ids of jobs and profiles: lower-case letters, digits and dashes, 1-63, no dash at either end. */
public final class ResourceIds {

    private static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public static final String RULE = "1-63 lower-case letters, digits or dashes, starting and ending with a letter or digit";

    private ResourceIds() {}

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static String generate(String kind) {
        return kind + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
