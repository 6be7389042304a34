package dms.api.console;

import dms.api.auth.BearerAuthFilter;
import dms.api.auth.Role;
import io.vertx.ext.web.RoutingContext;

/**
 * Who asks, as the bearer filter authenticated them: the console shows the action buttons to
 * those who may act. Only a display choice: every action is checked again by the filter.
 *
 * @param role null while authentication is off (then anyone may act)
 */
public record Caller(String name, Role role) {

    static Caller of(RoutingContext rc, String requestedBy) {
        Role role = rc == null ? null : rc.get(BearerAuthFilter.CALLER_ROLE);
        return new Caller(role == null ? null : requestedBy, role);
    }

    public boolean canAct() {
        return role == null || role.allows(Role.OPERATOR);
    }

    public boolean authenticationOff() {
        return role == null;
    }

    public String roleLabel() {
        return role == null ? "operator" : role.label();
    }
}
