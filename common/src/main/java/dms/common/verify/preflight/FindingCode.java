package dms.common.verify.preflight;

/**
 * The codes of pre-flight findings (docs/verify.md lists each with its severity and what to do).
 * Stable: automation may act on them.
 */
public final class FindingCode {

    public static final String CONNECTION_FAILED = "CONNECTION_FAILED";
    public static final String AUTHENTICATION_FAILED = "AUTHENTICATION_FAILED";
    public static final String SOURCE_VERSION_UNSUPPORTED = "SOURCE_VERSION_UNSUPPORTED";
    public static final String MARKER_TABLE_ON_SOURCE = "MARKER_TABLE_ON_SOURCE";
    public static final String PG_DUMP_TOO_OLD = "PG_DUMP_TOO_OLD";
    public static final String DESTINATION_VERSION_OLDER = "DESTINATION_VERSION_OLDER";
    public static final String WAL_LEVEL_NOT_LOGICAL = "WAL_LEVEL_NOT_LOGICAL";
    public static final String NOT_ENOUGH_REPLICATION_SLOTS = "NOT_ENOUGH_REPLICATION_SLOTS";
    public static final String NOT_ENOUGH_WAL_SENDERS = "NOT_ENOUGH_WAL_SENDERS";
    public static final String MISSING_REPLICATION_PRIVILEGE = "MISSING_REPLICATION_PRIVILEGE";
    public static final String MISSING_READ_PRIVILEGE = "MISSING_READ_PRIVILEGE";
    public static final String SOURCE_DATABASE_MISSING = "SOURCE_DATABASE_MISSING";
    public static final String NO_DATABASE_TO_MIGRATE = "NO_DATABASE_TO_MIGRATE";
    public static final String TABLE_WITHOUT_PRIMARY_KEY = "TABLE_WITHOUT_PRIMARY_KEY";
    public static final String REPLICA_IDENTITY_NOT_SETTABLE = "REPLICA_IDENTITY_NOT_SETTABLE";
    public static final String UNLOGGED_TABLE = "UNLOGGED_TABLE";
    public static final String LARGE_OBJECTS = "LARGE_OBJECTS";
    public static final String LARGE_OBJECT_NOT_READABLE = "LARGE_OBJECT_NOT_READABLE";
    public static final String EXTENSION_MISSING_ON_DESTINATION = "EXTENSION_MISSING_ON_DESTINATION";
    public static final String DESTINATION_DATABASE_NOT_EMPTY = "DESTINATION_DATABASE_NOT_EMPTY";
    public static final String MISSING_CREATEDB_PRIVILEGE = "MISSING_CREATEDB_PRIVILEGE";
    public static final String ROLES_MISSING_ON_DESTINATION = "ROLES_MISSING_ON_DESTINATION";
    public static final String MISSING_CREATEROLE_PRIVILEGE = "MISSING_CREATEROLE_PRIVILEGE";
    public static final String OWNER_ROLE_NOT_USABLE = "OWNER_ROLE_NOT_USABLE";
    public static final String SEQUENCE_NOT_READABLE = "SEQUENCE_NOT_READABLE";
    public static final String SAME_SERVER = "SAME_SERVER";
    public static final String CHECK_FAILED = "CHECK_FAILED";

    private FindingCode() {}
}
