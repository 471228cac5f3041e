package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.pipeline.PermanentFailure;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Customers keyed by a channel reference ({@code ref}, also an external id). A value the channel
 * stops sending (eBay hides e-mail after 14 days, name and address after 90) never erases what
 * Odoo already has: only empty Odoo fields are filled.
 */
@Singleton
public class OdooPartners {

    private static final List<String> FIELDS = List.of("name", "email", "phone", "street", "street2", "city", "zip", "country_id");

    private final OdooClient odoo;
    private final OdooCatalog catalog;
    private final Map<String, Long> countries = new ConcurrentHashMap<>();
    /** Two orders of one new buyer, imported at once, must not create two partners. */
    private final Object[] locks = new Object[64];

    OdooPartners(OdooClient odoo, OdooCatalog catalog) {
        this.odoo = odoo;
        this.catalog = catalog;
        java.util.Arrays.setAll(locks, i -> new Object());
    }

    /**
     * The partner with this {@code ref}, created or completed from {@code values} (Odoo field
     * names; {@code country_code} as ISO code). Returns its id.
     */
    public long ensure(String ref, String externalId, Map<String, Object> values) {
        Map<String, Object> wanted = new LinkedHashMap<>();
        values.forEach((field, value) -> {
            if (value != null && !String.valueOf(value).isBlank()) {
                wanted.put(field, value);
            }
        });
        Object countryCode = wanted.remove("country_code");
        if (countryCode != null) {
            Long country = country(String.valueOf(countryCode));
            if (country != null) {
                wanted.put("country_id", country);
            }
        }
        synchronized (locks[Math.floorMod(ref.hashCode(), locks.length)]) {
            return ensure(ref, externalId, wanted, odoo.searchRead("res.partner", List.of(List.of("ref", "=", ref)), FIELDS, 1,
                    "id asc", Map.of("active_test", false)));
        }
    }

    private long ensure(String ref, String externalId, Map<String, Object> wanted, List<JsonNode> existing) {
        if (existing.isEmpty()) {
            Map<String, Object> create = new LinkedHashMap<>(wanted);
            create.put("ref", ref);
            create.putIfAbsent("name", ref);
            long id = odoo.createOne("res.partner", create, null);
            catalog.ensureExternalId(externalId, "res.partner", id, true);
            return id;
        }
        JsonNode partner = existing.get(0);
        Map<String, Object> fill = new LinkedHashMap<>();
        wanted.forEach((field, value) -> {
            JsonNode current = partner.get(field);
            if (current == null || current.isNull() || (current.isBoolean() && !current.asBoolean())) {
                fill.put(field, value);
            }
        });
        long id = partner.get("id").asLong();
        if (!fill.isEmpty()) {
            odoo.write("res.partner", List.of(id), fill);
        }
        return id;
    }

    /**
     * Anonymises the partner with {@code ref} (or the external id) and its contacts (delivery
     * addresses): every personal field we fill is cleared, the name becomes {@code erasedName}, the
     * ref and external id the pseudonym's. Records stay, so orders keep their customer. Returns how
     * many partners were anonymised.
     */
    public int erase(String ref, String externalId, String pseudonymRef, String pseudonymExternalId, String erasedName) {
        Set<Long> ids = new LinkedHashSet<>();
        odoo.searchRead("res.partner", List.of(List.of("ref", "=", ref)), List.of("id"), null, null, Map.of("active_test", false))
                .forEach(row -> ids.add(row.get("id").asLong()));
        List<JsonNode> links = odoo.searchRead("ir.model.data", List.of(List.of("module", "=", OdooCatalog.MODULE),
                List.of("name", "=", externalId), List.of("model", "=", "res.partner")), List.of("id", "res_id"), null, null, null);
        links.forEach(row -> ids.add(row.get("res_id").asLong()));
        if (ids.isEmpty()) {
            return 0;
        }
        List<Long> contacts = odoo.searchRead("res.partner", List.of(List.of("parent_id", "in", List.copyOf(ids))), List.of("id"),
                null, null, Map.of("active_test", false)).stream().map(row -> row.get("id").asLong()).filter(id -> !ids.contains(id)).toList();
        Map<String, Object> cleared = new LinkedHashMap<>();
        FIELDS.forEach(field -> cleared.put(field, false));
        cleared.put("name", erasedName);
        if (!contacts.isEmpty()) {
            odoo.write("res.partner", contacts, cleared);
        }
        cleared.put("ref", pseudonymRef);
        odoo.write("res.partner", List.copyOf(ids), cleared);
        if (!links.isEmpty()) {
            odoo.write("ir.model.data", links.stream().map(row -> row.get("id").asLong()).toList(), Map.of("name", pseudonymExternalId));
        }
        return ids.size() + contacts.size();
    }

    private Long country(String code) {
        return countries.computeIfAbsent(code.toUpperCase(), c -> {
            List<JsonNode> rows = odoo.searchRead("res.country", List.of(List.of("code", "=", c)), List.of("id"), 1, null, null);
            if (rows.isEmpty()) {
                throw new PermanentFailure(OdooErrors.PEER, "no country with ISO code " + c + " in Odoo");
            }
            return rows.get(0).get("id").asLong();
        });
    }
}
