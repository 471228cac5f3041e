package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.SyncFailure;
import io.marketbridge.pipeline.TransientFailure;

/**
 * One classification of Odoo errors for both transports, by the exception name Odoo reports
 * ({@code error.data.name} in JSON-RPC, {@code name} in JSON-2). Odoo's {@code debug} traceback is
 * never put in a message: it can hold data and belongs at DEBUG level only.
 */
final class OdooErrors {

    static final String PEER = "odoo";

    private OdooErrors() {
    }

    /** Database contention and connection trouble clear up by themselves; data and access errors do not. */
    static boolean isTransient(String name, String message) {
        String n = name == null ? "" : name;
        String m = message == null ? "" : message;
        return n.contains("SerializationFailure") || n.contains("TransactionRollbackError")
                || n.contains("LockNotAvailable") || n.contains("OperationalError") || n.contains("InterfaceError")
                || m.contains("could not serialize access") || m.contains("concurrent update");
    }

    static SyncFailure fromError(JsonNode error, int httpStatus) {
        String name = text(error, "name");
        String message = text(error, "message");
        String shortName = name.isEmpty() ? "HTTP " + httpStatus : name.substring(name.lastIndexOf('.') + 1);
        String description = shortName + ": " + message;
        if (isTransient(name, message) || (name.isEmpty() && (httpStatus >= 500 || httpStatus == 429))) {
            return new TransientFailure(PEER, description, null);
        }
        return new PermanentFailure(PEER, description);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }
}
