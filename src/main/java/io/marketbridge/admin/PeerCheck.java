package io.marketbridge.admin;

import io.marketbridge.pipeline.SyncFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A peer's own "test connection", contributed by its package: the admin API and the operator's page
 * list every enabled one, so adding a peer adds its check without an edit here.
 */
public interface PeerCheck {

    /** The peer's name, as in {@code /admin/connections}. */
    String peer();

    /** Where the peer appears in the list (Odoo, the system of record, first). */
    int order();

    boolean enabled();

    /** Reachable, version, latency and the error if any; never throws. */
    Connection check();

    @RegisterForReflection
    record Connection(String peer, boolean reachable, String version, String api, long latencyMs, String error) {

        /**
         * A check's outcome: a peer that answered, even with an error, is reachable; transport failures are
         * not. {@code api} is the API checked, unless the answer names the one it found.
         */
        public static Connection of(String peer, String api, Probe probe) {
            long start = System.nanoTime();
            try {
                Answer answer = probe.call();
                return new Connection(peer, true, answer.version(), answer.api() != null ? answer.api() : api,
                        millisSince(start), answer.problem());
            } catch (SyncFailure e) {
                // PeerHttp gives transport failures their IOException as cause
                return new Connection(peer, !(e.getCause() instanceof java.io.IOException), null, api, millisSince(start), e.getMessage());
            }
        }

        private static long millisSince(long startNanos) {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }
    }

    /** What a peer answered: its version and API if it tells, and a problem it reported without failing. */
    record Answer(String version, String api, String problem) {

        public static Answer ok() {
            return new Answer(null, null, null);
        }

        public static Answer problem(String problem) {
            return new Answer(null, null, problem);
        }
    }

    @FunctionalInterface
    interface Probe {
        Answer call() throws SyncFailure;
    }
}
