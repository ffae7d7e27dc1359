package io.refinery.api.security;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Password sign-in throttling ({@code refinery.api.login.*}).
 *
 * @param maxFailures failed sign-ins of one username from one address within {@code window} before
 *                    further attempts are refused with 429
 * @param window      how long failures count
 * @param tokenCache  how long a verified API token or HTTP Basic password is trusted before it is
 *                    checked again (revocation and user changes on this instance take effect at once)
 */
@Validated
@ConfigurationProperties("refinery.api.login")
public record LoginProperties(@Min(1) @DefaultValue("5") int maxFailures, @DefaultValue("1m") Duration window,
                              @DefaultValue("30s") Duration tokenCache) {
}
