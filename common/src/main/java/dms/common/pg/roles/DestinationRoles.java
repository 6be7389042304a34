package dms.common.pg.roles;

import dms.common.messages.RoleHandling;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The roles step of prepare, before pre-data restores the grants, as the job's roles setting says
 * ({@link RoleHandling}): create the missing roles (the default), require them (fail, naming them), or
 * nothing (SKIP: no owner and no grant is restored).
 */
public final class DestinationRoles {

    private DestinationRoles() {}

    /** Returns the roles created on the destination. */
    public static List<String> prepare(Connection source, Connection destination, RoleHandling handling) throws SQLException {
        if (handling == RoleHandling.SKIP) {
            return List.of();
        }
        SourceRoles roles = SourceRoles.read(source);
        RolePlan plan = new RolePlan(roles, DestinationUser.read(destination, roles.names()));
        if (handling == RoleHandling.REQUIRE_EXISTING) {
            if (!plan.missing().isEmpty()) {
                throw new SQLException("the destination lacks role(s) " + plan.missingNames() + " that own or are granted"
                        + " objects of the source, and the job's roles setting is REQUIRE_EXISTING: create them on the"
                        + " destination, or set roles to CREATE_MISSING or SKIP");
            }
            return List.of();
        }
        return MissingRoles.create(destination, plan);
    }
}
