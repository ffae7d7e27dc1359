package io.refinery.api.demand;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * The demand read cache ({@code refinery.api.demand-cache.*}).
 *
 * @param maxAge        how long a probed fingerprint of the served demand is trusted: a served
 *                      refresh shows in responses at most this much later; 0 probes on every request
 * @param maxBytes      cached response bytes at most
 * @param maxEntryBytes larger responses are served but not cached
 */
@ConfigurationProperties("refinery.api.demand-cache")
record DemandCacheProperties(@DefaultValue("500ms") Duration maxAge, @DefaultValue("64MB") DataSize maxBytes,
                             @DefaultValue("4MB") DataSize maxEntryBytes) {
}
