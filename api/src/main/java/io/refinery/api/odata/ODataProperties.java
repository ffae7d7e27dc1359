package io.refinery.api.odata;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The OData feed ({@code refinery.api.odata.*}).
 *
 * @param pageSize rows per page before {@code @odata.nextLink} (server-driven paging)
 */
@Validated
@ConfigurationProperties("refinery.api.odata")
public record ODataProperties(@Min(1) @Max(100_000) @DefaultValue("10000") int pageSize) {
}
