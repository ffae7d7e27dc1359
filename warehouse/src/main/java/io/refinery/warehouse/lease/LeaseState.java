package io.refinery.warehouse.lease;

import java.time.Instant;

/**
 * What the lease table says about a key at {@code observedAt} (warehouse time): the newest epoch,
 * who holds it and until when. {@code epoch} 0 means the key was never claimed.
 */
public record LeaseState(String key, long epoch, String holder, Instant expiresAt, boolean released,
                         Instant observedAt) {

    /** True while the newest epoch is neither released nor expired. */
    public boolean held() {
        return epoch > 0 && !released && observedAt.isBefore(expiresAt);
    }
}
