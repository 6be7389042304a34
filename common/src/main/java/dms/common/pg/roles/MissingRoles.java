package dms.common.pg.roles;

import dms.common.pg.roles.SourceRoles.Membership;
import dms.common.pg.roles.SourceRoles.RoleDef;
import dms.common.sql.SqlIdentifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Creates on the destination the roles the schema names and the destination lacks, before pre-data
 * restores the grants that name them (docs/data-path.md, rule 6): NOLOGIN, no password, the attributes
 * the migration user may grant ({@link RolePlan#createStatement}), the memberships among them as on the
 * source. Then makes the migration user a member of each owner role it cannot act as yet, so that post-data
 * can give the objects to their owners ({@link ObjectOwners}) and CDC can write into them. Roles are
 * server-wide: another database of the job may create the same role at the same moment, which is fine.
 */
public final class MissingRoles {

    private static final Logger LOG = Logger.getLogger(MissingRoles.class);
    private static final String DUPLICATE_OBJECT = "42710";
    private static final String UNIQUE_VIOLATION = "23505";

    private MissingRoles() {}

    /** {@code destination} in autocommit: each statement stands alone. Returns the roles created. */
    public static List<String> create(Connection destination, RolePlan plan) throws SQLException {
        List<RoleDef> missing = plan.missing();
        if (!missing.isEmpty() && !plan.destination().mayCreateRoles()) {
            throw new SQLException("the destination lacks role(s) " + plan.missingNames() + " that the schema names, and user "
                    + plan.destination().name() + " may not create roles: ALTER ROLE ... CREATEROLE on the destination,"
                    + " create the roles there, or set the job's roles to SKIP");
        }
        Set<String> created = new HashSet<>();
        for (RoleDef role : missing) {
            try (Statement st = destination.createStatement()) {
                st.execute(plan.createStatement(role));
                created.add(role.name());
            } catch (SQLException e) {
                if (!DUPLICATE_OBJECT.equals(e.getSQLState()) && !UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                created.add(role.name()); // made by another database of the job just now
            }
            List<String> dropped = plan.droppedAttributes(role);
            if (!dropped.isEmpty()) {
                LOG.warnf("Role %s created on the destination without %s: user %s may not grant them", role.name(), dropped,
                        plan.destination().name());
            }
        }
        for (Membership m : plan.source().memberships()) {
            if (created.contains(m.role()) || created.contains(m.member())) {
                grant(destination, SqlIdentifiers.quote(m.role()) + " TO " + SqlIdentifiers.quote(m.member())
                        + (m.adminOption() ? " WITH ADMIN OPTION" : ""));
            }
        }
        if (!plan.destination().superuser()) {
            for (String owner : plan.source().owners()) {
                if (!plan.destination().actsAs().contains(owner) && plan.destination().canOwnAs(owner)) {
                    grant(destination, SqlIdentifiers.quote(owner) + " TO CURRENT_USER");
                }
            }
        }
        if (!created.isEmpty()) {
            LOG.infof("Created %d role(s) on the destination (NOLOGIN): %s", created.size(), created.stream().sorted().toList());
        }
        return created.stream().sorted().toList();
    }

    /** A membership is granted once; granted again (the other database of the job, a retry) it only warns. */
    private static void grant(Connection destination, String what) {
        try (Statement st = destination.createStatement()) {
            st.execute("GRANT " + what);
        } catch (SQLException e) {
            LOG.warnf("GRANT %s on the destination failed: %s", what, e.getMessage());
        }
    }
}
