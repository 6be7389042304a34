package dms.dump.catalog;

/** {@code pg_class.relreplident}: what a table's UPDATE and DELETE records carry to identify the old row. */
public enum ReplicaIdentity {
    /** The primary key, if there is one. */
    DEFAULT('d'),
    NOTHING('n'),
    /** The whole old row. */
    FULL('f'),
    /** The columns of the index chosen with REPLICA IDENTITY USING INDEX. */
    INDEX('i');

    private final char code;

    ReplicaIdentity(char code) {
        this.code = code;
    }

    public char code() {
        return code;
    }

    public static ReplicaIdentity fromCode(char code) {
        for (ReplicaIdentity identity : values()) {
            if (identity.code == code) {
                return identity;
            }
        }
        throw new IllegalArgumentException("unknown relreplident: " + code);
    }
}
