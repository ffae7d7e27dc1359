package io.refinery.api.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

import java.util.Collection;
import java.util.List;

/**
 * A request authenticated by a read-only API token: the token's user, with that user's roles, but
 * only ever for reading (see {@link AccessRules}).
 */
final class ApiTokenAuthentication extends AbstractAuthenticationToken {

    private final String token;
    private final String username;
    private final String tokenId;

    /** Not yet verified: only the presented token. */
    ApiTokenAuthentication(String token) {
        super(List.of());
        this.token = token;
        this.username = null;
        this.tokenId = null;
    }

    ApiTokenAuthentication(String username, String tokenId, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.token = null;
        this.username = username;
        this.tokenId = tokenId;
        setAuthenticated(true);
    }

    String token() {
        return token;
    }

    String tokenId() {
        return tokenId;
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return username;
    }

    @Override
    public String getName() {
        return username == null ? "" : username;
    }
}
