package dms.common.messages;

/**
 * What a job does with the roles its databases' objects are owned by or granted to (the job's
 * {@code roles} setting; docs/data-path.md, rule 6). Absent means {@link #CREATE_MISSING}.
 */
public enum RoleHandling {
    /** Roles missing on the destination are created (NOLOGIN, no password), then owners and grants restored as on the source. */
    CREATE_MISSING,
    /** Owners and grants are not restored: every object belongs to the migration user, no GRANT is applied. */
    SKIP,
    /** Owners and grants are restored, and every role they name must exist on the destination: the pre-flight fails otherwise. */
    REQUIRE_EXISTING;

    /** The setting of a job document that may lack it (one written before the setting existed). */
    public static RoleHandling of(RoleHandling setting) {
        return setting == null ? CREATE_MISSING : setting;
    }
}
