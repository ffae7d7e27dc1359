package io.refinery.api.cache;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * The caches of served-data responses: demand history and the OData demand sets
 * ({@code refinery.api.served-cache.*}).
 *
 * @param maxAge        how long a probed fingerprint of the served demand is trusted: a served
 *                      refresh shows in responses at most this much (plus one probe) later; 0 probes
 *                      before every request
 * @param maxBytes      cached response bytes at most, per cache
 * @param maxEntryBytes larger responses are served but not cached
 */
@ConfigurationProperties("refinery.api.served-cache")
public record ServedCacheProperties(@DefaultValue("500ms") Duration maxAge, @DefaultValue("64MB") DataSize maxBytes,
                                    @DefaultValue("4MB") DataSize maxEntryBytes) {

    public ServedResponseCache create(java.util.concurrent.Callable<String> fingerprint) {
        return new ServedResponseCache(fingerprint, maxAge, maxBytes.toBytes(), (int) maxEntryBytes.toBytes());
    }
}
