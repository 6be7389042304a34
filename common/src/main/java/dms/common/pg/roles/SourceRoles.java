package dms.common.pg.roles;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The source roles a database's schema names: owners of its objects, grantees of its privileges and
 * default privileges, roles of its row-level policies (all recorded in pg_shdepend), and the roles
 * those are members of, transitively (their privileges flow through the memberships). The source's
 * bootstrap superuser and the predefined {@code pg_*} roles are pinned, never recorded there: the
 * objects they own stay with the migration user on the destination.
 */
public record SourceRoles(List<RoleDef> roles, List<Membership> memberships, Set<String> owners) {

    /** A role's attributes that a NOLOGIN copy can keep (no password, no login, no connection limit). */
    public record RoleDef(String name, boolean superuser, boolean inherit, boolean createRole, boolean createDb,
                          boolean replication, boolean bypassRls) {}

    /** {@code member} is a member of {@code role}. */
    public record Membership(String role, String member, boolean adminOption) {}

    private static final String REFERENCED = """
            WITH RECURSIVE referenced AS (
                SELECT DISTINCT d.refobjid AS oid
                FROM pg_shdepend d
                WHERE d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND d.refclassid = 'pg_authid'::regclass AND d.deptype IN ('o', 'a', 'r')
              UNION
                SELECT m.roleid FROM pg_auth_members m JOIN referenced r ON m.member = r.oid
            )
            SELECT a.rolname, a.rolsuper, a.rolinherit, a.rolcreaterole, a.rolcreatedb, a.rolreplication, a.rolbypassrls,
                   EXISTS (SELECT 1 FROM pg_shdepend d
                           WHERE d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                             AND d.refclassid = 'pg_authid'::regclass AND d.refobjid = a.oid AND d.deptype = 'o')
            FROM referenced r JOIN pg_roles a ON a.oid = r.oid
            WHERE a.rolname !~ '^pg_'
            ORDER BY a.rolname""";

    private static final String MEMBERSHIPS = """
            SELECT g.rolname, u.rolname, m.admin_option
            FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
            WHERE g.rolname !~ '^pg_' AND u.rolname !~ '^pg_'
            ORDER BY 1, 2""";

    /** Reads them in the database {@code source} is connected to. */
    public static SourceRoles read(Connection source) throws SQLException {
        List<RoleDef> roles = new ArrayList<>();
        Set<String> owners = new LinkedHashSet<>();
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(REFERENCED)) {
            while (rs.next()) {
                roles.add(new RoleDef(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4), rs.getBoolean(5),
                        rs.getBoolean(6), rs.getBoolean(7)));
                if (rs.getBoolean(8)) {
                    owners.add(rs.getString(1));
                }
            }
        }
        Set<String> names = new LinkedHashSet<>(roles.stream().map(RoleDef::name).toList());
        List<Membership> memberships = new ArrayList<>();
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(MEMBERSHIPS)) {
            while (rs.next()) {
                if (names.contains(rs.getString(1)) && names.contains(rs.getString(2))) {
                    memberships.add(new Membership(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        return new SourceRoles(List.copyOf(roles), List.copyOf(memberships), Set.copyOf(owners));
    }

    public List<String> names() {
        return roles.stream().map(RoleDef::name).toList();
    }
}
