package io.refinery.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

/** How the API documentation (/v3/api-docs, Swagger UI) describes authentication. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info = @Info(title = "Refinery API", version = "v1", description = """
                Demand history, forecast runs and exports, overrides, lead-time anomalies, the ingestion pipeline,
                uploads, route administration, a live event stream and an OData v4 feed for Power BI. Errors are
                RFC 9457 problems (application/problem+json). Roles: viewer < planner < admin; API tokens
                (Bearer or X-API-Key) are read-only."""),
        security = {@SecurityRequirement(name = "basic"), @SecurityRequirement(name = "bearer"),
                @SecurityRequirement(name = "apiKey")})
@SecurityScheme(name = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", description = "read-only API token")
@SecurityScheme(name = "apiKey", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER, paramName = "X-API-Key",
        description = "read-only API token (for Power BI's connector)")
class OpenApiConfiguration {
}
