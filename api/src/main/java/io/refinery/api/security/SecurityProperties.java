package io.refinery.api.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param adminPassword the first admin's password (user {@code admin}); blank: the demo generates
 *                      and prints one, outside the demo the service refuses to start without it
 * @param demo          whether demo users may be created with generated passwords
 */
@ConfigurationProperties("refinery.security")
public record SecurityProperties(String adminPassword, @DefaultValue("true") boolean demo) {
}
