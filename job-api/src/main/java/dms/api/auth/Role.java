package dms.api.auth;

import java.util.Locale;
import java.util.Optional;

/** What a token may do: a viewer reads, an operator also acts (create, edit, start, delete ...). */
public enum Role {
    VIEWER,
    OPERATOR;

    /** An operator may do everything a viewer may. */
    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        for (Role role : values()) {
            if (role.label().equalsIgnoreCase(text.strip())) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
