package dms.common.pg.roles;

import dms.common.pg.roles.SourceRoles.RoleDef;
import dms.common.sql.SqlIdentifiers;
import java.util.ArrayList;
import java.util.List;

/**
 * What a job does with the source's roles on the destination (the default, docs/data-path.md rule 6):
 * the roles missing there are created NOLOGIN, without password, with the attributes the destination
 * user may grant (a superuser all of them; a CREATEROLE user CREATEDB if it has it, CREATEROLE, INHERIT),
 * their memberships kept; then objects are given to their source owners, except owners the user can
 * never act as (an existing role it is no member of, such as another superuser): those objects stay
 * the migration user's.
 */
public record RolePlan(SourceRoles source, DestinationUser destination) {

    public List<RoleDef> missing() {
        return source.roles().stream().filter(r -> !destination.existing().contains(r.name())).toList();
    }

    public List<String> missingNames() {
        return missing().stream().map(RoleDef::name).toList();
    }

    /** Owner roles whose objects stay the migration user's. */
    public List<String> ownersKeptByMigrationUser() {
        return source.owners().stream().filter(r -> !destination.canOwnAs(r)).sorted().toList();
    }

    /** {@code CREATE ROLE} for a missing role. */
    public String createStatement(RoleDef role) {
        return "CREATE ROLE " + SqlIdentifiers.quote(role.name()) + " NOLOGIN" + String.join("", attributes(role, true));
    }

    /** The attributes of {@code role} the destination user may not grant: the copy goes without them. */
    public List<String> droppedAttributes(RoleDef role) {
        return attributes(role, false);
    }

    private List<String> attributes(RoleDef role, boolean granted) {
        boolean su = destination.superuser();
        List<String> out = new ArrayList<>();
        add(out, granted, !role.inherit(), true, " NOINHERIT");
        add(out, granted, role.createDb(), su || destination.createDb(), " CREATEDB");
        add(out, granted, role.createRole(), su || destination.createRole(), " CREATEROLE");
        add(out, granted, role.replication(), su, " REPLICATION");
        add(out, granted, role.bypassRls(), su, " BYPASSRLS");
        add(out, granted, role.superuser(), su, " SUPERUSER");
        return out;
    }

    private static void add(List<String> out, boolean granted, boolean has, boolean allowed, String attribute) {
        if (has && allowed == granted) {
            out.add(granted ? attribute : attribute.trim());
        }
    }
}
