package io.marketbridge.pipeline;

import java.util.Optional;

/** Retrying will not help until a person fixes data or configuration: goes to dead letters. */
public final class PermanentFailure extends SyncFailure {

    private final transient Decision decision;
    private final int httpStatus;

    public PermanentFailure(String peer, String message) {
        this(peer, message, null, null);
    }

    public PermanentFailure(String peer, String message, Throwable cause) {
        this(peer, message, cause, null);
    }

    /** A failure a person settles by deciding something about an Odoo record: it waits in their activities there too. */
    public PermanentFailure(String peer, String message, Throwable cause, Decision decision) {
        this(peer, message, cause, decision, 0);
    }

    private PermanentFailure(String peer, String message, Throwable cause, Decision decision, int httpStatus) {
        super(peer, message, cause);
        this.decision = decision;
        this.httpStatus = httpStatus;
    }

    /** The peer answered a request with a 4xx refusal ({@link PeerHttp#failure}). */
    static PermanentFailure refused(String peer, int httpStatus, String message) {
        return new PermanentFailure(peer, message, null, null, httpStatus);
    }

    /** The same failure, as a decision for a person. */
    public PermanentFailure needing(Decision decision) {
        PermanentFailure copy = new PermanentFailure(peer(), detail(), getCause(), decision, httpStatus);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    public Optional<Decision> decision() {
        return Optional.ofNullable(decision);
    }

    /** The HTTP status the peer refused the request with; 0 when the failure is not a peer's HTTP answer. */
    public int httpStatus() {
        return httpStatus;
    }
}
