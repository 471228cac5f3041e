package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * How a model method reaches Odoo: the record ids (null for model methods) and the method's parameters
 * by name. Each transport lays them out the way its endpoint needs.
 */
interface OdooTransport {

    /** The method's return value; {@code NullNode} when Odoo returned None (or omitted {@code result}). */
    JsonNode call(String model, String method, List<Long> ids, Map<String, Object> params);

    String name();
}
