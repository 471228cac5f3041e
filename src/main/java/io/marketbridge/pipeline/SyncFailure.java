package io.marketbridge.pipeline;

/**
 * A failure talking to a peer, already classified: the pipeline retries a {@link TransientFailure}
 * with backoff and dead-letters a {@link PermanentFailure} at once.
 */
public abstract sealed class SyncFailure extends RuntimeException permits TransientFailure, PermanentFailure {

    private final String peer;
    private final String detail;

    protected SyncFailure(String peer, String message, Throwable cause) {
        super(peer + ": " + message, cause);
        this.peer = peer;
        this.detail = message;
    }

    public String peer() {
        return peer;
    }

    /** The message without the peer's name in front. */
    public String detail() {
        return detail;
    }
}
