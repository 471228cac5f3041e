package io.marketbridge.cartona;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which products of a bulk-update Cartona did not take, read from a 2xx answer.
 * <p>
 * UNCONFIRMED: Cartona documents no answer body for {@code supplier-product/bulk-update} (only "200/201 success,
 * anything else an error with its text"), so this reading is deliberately lenient. A 2xx accepts every product
 * except those the body lists as failed, in any of these shapes:
 * <pre>
 * {"message":"...","failed":[{"internal_product_id":"SKU-1","message":"product is archived"}]}   (what the simulator sends)
 * {"failures"|"failed_products"|"invalid_products"|"rejected"|"errors": [{"internal_product_id"|"index", "message"|"error"|"errors"|"reason"}]}
 * {"failed": ["SKU-1", ...]}                                 ids only: the top-level message is the reason
 * {"errors": {"SKU-1": "..." | ["..."], "0.selling_price": ["..."]}}   by id, or by position (Laravel-style keys)
 * [{"internal_product_id":"SKU-1","success"|"updated":false | "status":"failed"|4xx | "error":"..."}, ...]   a status per item,
 *                                                            also under "data", "results" or "products"
 * </pre>
 * Anything else (an empty body, text, an object without those fields) accepts the whole batch. Failures that name
 * no product of the batch are returned apart, for the log.
 */
final class CartonaBulkUpdateAnswer {

    private static final List<String> FAILURE_LISTS = List.of("failed", "failures", "failed_products", "invalid_products", "rejected", "errors");
    private static final List<String> STATUS_LISTS = List.of("data", "results", "products");
    private static final Set<String> FAILED_STATUSES = Set.of("failed", "failure", "error", "rejected", "invalid");
    private static final Pattern POSITION_KEY = Pattern.compile("^(\\d+)(\\..*)?$");

    /**
     * @param rejected     position in the sent array → Cartona's message
     * @param unattributed failures that named no product of the batch
     */
    record Reading(Map<Integer, String> rejected, List<String> unattributed) {
    }

    private final Map<String, List<Integer>> positions = new HashMap<>();
    private final int size;
    private final Map<Integer, String> rejected = new LinkedHashMap<>();
    private final List<String> unattributed = new ArrayList<>();

    private CartonaBulkUpdateAnswer(List<String> sentIds) {
        this.size = sentIds.size();
        for (int i = 0; i < sentIds.size(); i++) {
            positions.computeIfAbsent(sentIds.get(i), id -> new ArrayList<>()).add(i);
        }
    }

    /** Reads a 2xx answer to a bulk-update of {@code sentIds}, in the order they were sent. */
    static Reading read(JsonNode body, List<String> sentIds) {
        CartonaBulkUpdateAnswer answer = new CartonaBulkUpdateAnswer(sentIds);
        if (body != null) {
            answer.readBody(body);
        }
        return new Reading(answer.rejected, answer.unattributed);
    }

    private void readBody(JsonNode body) {
        if (body.isArray()) {
            readStatuses(body);
            return;
        }
        if (!body.isObject()) {
            return;
        }
        String general = text(body.get("message"));
        for (String field : FAILURE_LISTS) {
            JsonNode failures = body.get(field);
            if (failures == null || failures.isNull()) {
                continue;
            }
            if (failures.isArray()) {
                failures.forEach(failure -> readFailure(failure, general));
            } else if (failures.isObject()) {
                failures.properties().forEach(entry -> readKeyedFailure(entry.getKey(), entry.getValue(), general));
            } else if (!text(failures).isEmpty()) {
                unattributed.add(text(failures));
            }
        }
        for (String field : STATUS_LISTS) {
            if (body.path(field).isArray()) {
                readStatuses(body.get(field));
            }
        }
    }

    /** An element of a list of failures: every one is a failure. */
    private void readFailure(JsonNode failure, String general) {
        if (failure.isObject()) {
            reject(failure, message(failure, general));
        } else if (positions.containsKey(text(failure))) {
            reject(text(failure), null, general.isEmpty() ? "rejected by Cartona" : general);
        } else if (!text(failure).isEmpty()) {
            unattributed.add(text(failure));
        }
    }

    /** {@code "SKU-1": "message"} or {@code "0.selling_price": ["message"]}. */
    private void readKeyedFailure(String key, JsonNode value, String general) {
        String message = value.isObject() ? message(value, general) : text(value);
        if (message.isEmpty()) {
            message = general.isEmpty() ? "rejected by Cartona" : general;
        }
        if (positions.containsKey(key)) {
            reject(key, null, message);
            return;
        }
        Matcher position = POSITION_KEY.matcher(key);
        if (position.matches()) {
            reject(null, Integer.valueOf(position.group(1)), message);
        } else {
            unattributed.add(key + ": " + message);
        }
    }

    /** A list of per-item outcomes, successes included. */
    private void readStatuses(JsonNode statuses) {
        for (JsonNode status : statuses) {
            if (status.isObject() && failed(status)) {
                reject(status, message(status, ""));
            }
        }
    }

    private static boolean failed(JsonNode status) {
        JsonNode state = status.path("status");
        return status.path("success").isBoolean() && !status.get("success").asBoolean()
                || status.path("updated").isBoolean() && !status.get("updated").asBoolean()
                || !text(status.get("error")).isEmpty() || !text(status.get("errors")).isEmpty()
                || state.isTextual() && FAILED_STATUSES.contains(state.asText().toLowerCase())
                || state.isNumber() && state.asInt() >= 400;
    }

    private void reject(JsonNode entry, String message) {
        JsonNode index = entry.get("index");
        reject(text(entry.get("internal_product_id")), index != null && index.canConvertToInt() ? index.asInt() : null, message);
    }

    private void reject(String id, Integer index, String message) {
        if (id != null && positions.containsKey(id)) {
            positions.get(id).forEach(i -> rejected.put(i, message));
        } else if (index != null && index >= 0 && index < size) {
            rejected.put(index, message);
        } else {
            unattributed.add((id == null || id.isEmpty() ? "" : id + ": ") + message);
        }
    }

    private static String message(JsonNode entry, String general) {
        for (String field : List.of("message", "error", "errors", "reason")) {
            String text = text(entry.get(field));
            if (!text.isEmpty()) {
                return text;
            }
        }
        return general.isEmpty() ? "rejected by Cartona" : general;
    }

    /** A value as text: strings as they are, lists joined, objects by their message; empty when absent. */
    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        if (node.isValueNode()) {
            return node.asText().trim();
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(part -> {
                String text = text(part);
                if (!text.isEmpty()) {
                    parts.add(text);
                }
            });
            return String.join("; ", parts);
        }
        String message = text(node.get("message"));
        return message.isEmpty() ? node.toString() : message;
    }
}
