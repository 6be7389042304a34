package dms.common.pg.roles;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * What the destination's migration user may do with roles: whether it is a superuser, may create
 * roles and databases, which of the named roles exist and which it can act as (ALTER ... OWNER TO a
 * role needs that: membership, with SET from PostgreSQL 16 on). Managed services (AlloyDB, Cloud
 * SQL, RDS) give it CREATEROLE and no superuser.
 */
public record DestinationUser(String name, int versionNum, boolean superuser, boolean createRole, boolean createDb,
                              Set<String> existing, Set<String> actsAs) {

    /** Reads the facts about {@code roles} (role names) on the destination {@code conn} is connected to. */
    public static DestinationUser read(Connection conn, Collection<String> roles) throws SQLException {
        String name;
        int versionNum;
        boolean superuser;
        boolean createRole;
        boolean createDb;
        try (PreparedStatement ps = conn.prepareStatement("SELECT current_user, current_setting('server_version_num')::int,"
                + " rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            name = rs.getString(1);
            versionNum = rs.getInt(2);
            superuser = rs.getBoolean(3);
            createRole = rs.getBoolean(4);
            createDb = rs.getBoolean(5);
        }
        Set<String> existing = new HashSet<>();
        Set<String> actsAs = new HashSet<>();
        // SET (16+) is what ALTER ... OWNER TO checks; before 16 membership was enough.
        String privilege = versionNum >= 160000 ? "SET" : "MEMBER";
        try (PreparedStatement ps = conn.prepareStatement("SELECT rolname, pg_has_role(current_user, oid, '" + privilege + "')"
                + " FROM pg_roles WHERE rolname = ANY (?)")) {
            ps.setArray(1, conn.createArrayOf("text", roles.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    existing.add(rs.getString(1));
                    if (rs.getBoolean(2)) {
                        actsAs.add(rs.getString(1));
                    }
                }
            }
        }
        return new DestinationUser(name, versionNum, superuser, createRole, createDb, Set.copyOf(existing), Set.copyOf(actsAs));
    }

    public boolean mayCreateRoles() {
        return superuser || createRole;
    }

    /** Whether it can give objects to {@code role}, or can once it made itself a member of a role it creates. */
    public boolean canOwnAs(String role) {
        return superuser || actsAs.contains(role) || (!existing.contains(role) && createRole);
    }
}
