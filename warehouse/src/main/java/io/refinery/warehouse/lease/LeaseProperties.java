package io.refinery.warehouse.lease;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Lease settings ({@code refinery.lease.*}).
 *
 * @param ttl    how long a lease lasts without renewal; a crashed holder's work is taken over after
 *               about {@code ttl + settle}; holders renew every quarter of it
 * @param settle the longest a lease write may take to become visible: a claim waits this long before
 *               reading back the winner, an expired lease is re-claimable only this long after its
 *               expiry, and a write that took longer counts as failed. It must exceed the warehouse's
 *               insert latency (and, on a cluster, the clock skew between its nodes)
 * @param holder this replica's name in the lease table (default host/pid)
 */
@ConfigurationProperties("refinery.lease")
public record LeaseProperties(@DefaultValue("15s") Duration ttl, @DefaultValue("1s") Duration settle, String holder) {

    public LeaseProperties {
        if (ttl.compareTo(settle.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("refinery.lease.ttl (" + ttl + ") must be at least 3 x settle (" + settle + ")");
        }
        if (holder == null || holder.isBlank()) {
            holder = defaultHolder();
        }
    }

    static String defaultHolder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + "/" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
