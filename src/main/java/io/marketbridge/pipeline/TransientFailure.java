package io.marketbridge.pipeline;

import java.time.Duration;
import java.util.Optional;

/** Worth retrying later: the peer is down, slow, overloaded or asked us to wait. */
public final class TransientFailure extends SyncFailure {

    private final Duration retryAfter;

    public TransientFailure(String peer, String message, Throwable cause) {
        this(peer, message, null, cause);
    }

    public TransientFailure(String peer, String message, Duration retryAfter, Throwable cause) {
        super(peer, message, cause);
        this.retryAfter = retryAfter;
    }

    /** What the peer asked for (Retry-After, quota reset), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
