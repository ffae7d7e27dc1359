package io.refinery.api.security;

import io.refinery.warehouse.accounts.UserAccounts;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Every endpoint needs a role, except the public health status. */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
        return http
                .authorizeExchange(exchange -> exchange
                        .pathMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")
                        .permitAll()
                        .pathMatchers("/actuator/**").hasRole(Role.ADMIN.name())
                        .anyExchange().hasRole(Role.VIEWER.name()))
                .httpBasic(basic -> { })
                .formLogin(form -> { })
                .build();
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy("ROLE_ADMIN > ROLE_PLANNER\nROLE_PLANNER > ROLE_VIEWER");
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    ReactiveUserDetailsService userDetailsService(UserAccounts accounts) {
        return username -> Mono.fromCallable(() -> accounts.find(username).orElse(null))
                .subscribeOn(Schedulers.boundedElastic())
                .map(account -> User.withUsername(account.username())
                        .password(account.passwordHash())
                        .disabled(!account.enabled())
                        .authorities(account.roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r)).toList())
                        .build());
    }
}
