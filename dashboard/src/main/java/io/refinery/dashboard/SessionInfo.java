package io.refinery.dashboard;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Who is signed in: the user name and the roles without the {@code ROLE_} prefix (lower case).
 *
 * @param username the principal's name, null when nobody is signed in
 * @param roles    e.g. {@code ["admin"]}; the page applies the hierarchy viewer &lt; planner &lt; admin
 */
public record SessionInfo(String username, List<String> roles) {

    static final SessionInfo ANONYMOUS = new SessionInfo(null, List.of());

    /**
     * Reads the authorities reflectively: the api module owns Spring Security, and the dashboard
     * should not depend on it just to read the role names of an {@code Authentication}.
     */
    static SessionInfo of(Principal principal) {
        List<String> roles = new ArrayList<>();
        try {
            Method getAuthorities = principal.getClass().getMethod("getAuthorities");
            if (getAuthorities.invoke(principal) instanceof Collection<?> authorities) {
                for (Object authority : authorities) {
                    String name = String.valueOf(authority.getClass().getMethod("getAuthority").invoke(authority));
                    if (name.startsWith("ROLE_")) {
                        roles.add(name.substring("ROLE_".length()).toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // A principal without authorities (should not happen behind the api's security) sees viewer pages only.
        }
        return new SessionInfo(principal.getName(), List.copyOf(roles));
    }
}
