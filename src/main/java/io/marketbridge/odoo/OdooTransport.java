package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * How a model method reaches Odoo. Arguments are always passed by name (plus the record ids), which
 * both JSON-RPC's {@code execute_kw} kwargs and JSON-2's body accept.
 */
interface OdooTransport {

    /** The method's return value; {@code NullNode} when Odoo returned None (or omitted {@code result}). */
    JsonNode call(String model, String method, List<Long> ids, Map<String, Object> params);

    String name();
}
