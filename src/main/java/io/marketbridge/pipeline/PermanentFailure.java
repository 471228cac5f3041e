package io.marketbridge.pipeline;

/** Retrying will not help until a person fixes data or configuration: goes to dead letters. */
public final class PermanentFailure extends SyncFailure {

    public PermanentFailure(String peer, String message) {
        super(peer, message, null);
    }

    public PermanentFailure(String peer, String message, Throwable cause) {
        super(peer, message, cause);
    }
}
