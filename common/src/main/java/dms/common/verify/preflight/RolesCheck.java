package dms.common.verify.preflight;

import static dms.common.verify.preflight.FindingCode.*;

import dms.common.messages.PreflightReport.Side;
import dms.common.messages.RoleHandling;
import dms.common.pg.roles.DestinationUser;
import dms.common.pg.roles.RolePlan;
import dms.common.pg.roles.SourceRoles;
import dms.common.pg.roles.SourceRoles.RoleDef;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The roles a database's objects are owned by or granted to, against the destination (docs/verify.md):
 * lists those the destination lacks and says what the job will do with them, as its roles setting says.
 */
final class RolesCheck {

    private RolesCheck() {}

    /** {@code destination} is any session on the destination (roles are server-wide). */
    static void check(String db, SourceRoles roles, Connection destination, RoleHandling handling, Findings findings)
            throws SQLException {
        if (roles.roles().isEmpty()) {
            return;
        }
        RolePlan plan = new RolePlan(roles, DestinationUser.read(destination, roles.names()));
        DestinationUser user = plan.destination();
        List<String> missing = plan.missingNames();
        if (!missing.isEmpty()) {
            String which = missing.size() + " role(s) that own or are granted objects of database " + db
                    + " do not exist on the destination";
            if (handling == RoleHandling.SKIP) {
                findings.warning(ROLES_MISSING_ON_DESTINATION, Side.DESTINATION, db, missing, which + ", and the job's roles"
                                + " setting is SKIP: no role is created, no owner or grant is restored, every object belongs to "
                                + user.name(), "nothing, or set the job's roles to CREATE_MISSING to restore owners and grants");
                return;
            } else if (handling == RoleHandling.REQUIRE_EXISTING) {
                findings.error(ROLES_MISSING_ON_DESTINATION, Side.DESTINATION, db, missing, which
                                + ", and the job's roles setting is REQUIRE_EXISTING",
                        "create the roles on the destination, or set the job's roles to CREATE_MISSING or SKIP");
            } else if (!user.mayCreateRoles()) {
                findings.error(MISSING_CREATEROLE_PRIVILEGE, Side.DESTINATION, db, missing, which + ", and the destination user "
                        + user.name() + " may not create roles", "ALTER ROLE " + user.name() + " CREATEROLE on the destination,"
                        + " create the roles there, or set the job's roles to SKIP (no owner or grant restored)");
            } else {
                findings.warning(ROLES_MISSING_ON_DESTINATION, Side.DESTINATION, db, missing, which + ": the job creates them"
                                + " (NOLOGIN, no password" + dropped(plan) + ", their memberships kept), then restores owners and"
                                + " grants as on the source",
                        "nothing, or create them yourself beforehand (with LOGIN and passwords for the applications), or set"
                                + " the job's roles to SKIP");
            }
        }
        List<String> kept = plan.ownersKeptByMigrationUser();
        if (!kept.isEmpty()) {
            findings.warning(OWNER_ROLE_NOT_USABLE, Side.DESTINATION, db, kept, "the objects of database " + db + " owned by "
                            + String.join(", ", kept) + " stay owned by " + user.name() + ": it cannot act as those roles on the"
                            + " destination", "GRANT <role> TO " + user.name() + " on the destination if those owners matter");
        }
    }

    private static String dropped(RolePlan plan) {
        List<String> out = new ArrayList<>();
        for (RoleDef role : plan.missing()) {
            List<String> dropped = plan.droppedAttributes(role);
            if (!dropped.isEmpty()) {
                out.add(role.name() + " without " + String.join(" ", dropped));
            }
        }
        return out.isEmpty() ? "" : "; " + String.join(", ", out) + ", which the destination user may not grant";
    }
}
