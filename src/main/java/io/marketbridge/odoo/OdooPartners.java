package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.model.AccountErasure;
import io.marketbridge.pipeline.PermanentFailure;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Customers keyed by a channel reference ({@code ref}, also an external id). A value the channel
 * stops sending (eBay hides e-mail after 14 days, name and address after 90) never erases what
 * Odoo already has: only empty Odoo fields are filled.
 */
@Singleton
@Named("odooPartners")
public class OdooPartners {

    private static final List<String> FIELDS = List.of("name", "email", "phone", "street", "street2", "city", "zip", "country_id");
    /** The fields that make a ship-to address: a delivery contact is reused only when all of them agree. */
    private static final List<String> ADDRESS = List.of("name", "street", "street2", "city", "zip", "country_id");

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
        return partner(ref, externalId, values).id();
    }

    /** A customer, and the delivery contact its order ships to (empty when the order carried no ship-to address). */
    public record Customer(long partner, Optional<Long> deliveryContact) {
    }

    /**
     * The customer with this {@code ref} as {@link #ensure} makes it, and the delivery contact for
     * {@code shipTo} as {@link #ensureDeliveryContact} makes it. A customer created just now has no
     * contacts yet, so none are looked for: one Odoo call less per new buyer.
     */
    public Customer ensureWithDeliveryContact(String ref, String externalId, Map<String, Object> values, Map<String, Object> shipTo) {
        Ensured partner = partner(ref, externalId, values);
        return new Customer(partner.id(), deliveryContact(partner.id(), present(shipTo), !partner.created()));
    }

    private record Ensured(long id, boolean created) {
    }

    private Ensured partner(String ref, String externalId, Map<String, Object> values) {
        Map<String, Object> wanted = present(values);
        synchronized (locks[Math.floorMod(ref.hashCode(), locks.length)]) {
            List<JsonNode> existing = odoo.searchRead("res.partner", List.of(List.of("ref", "=", ref)), FIELDS, 1,
                    "id asc", Map.of("active_test", false));
            if (!existing.isEmpty()) {
                return new Ensured(ensure(existing.get(0), wanted), false);
            }
            Map<String, Object> create = new LinkedHashMap<>(wanted);
            create.put("ref", ref);
            create.putIfAbsent("name", ref);
            long id = odoo.createOne("res.partner", create, null);
            catalog.ensureExternalId(externalId, "res.partner", id, true);
            return new Ensured(id, true);
        }
    }

    /** Fills the partner's empty fields from {@code wanted}; never overwrites a stored value. */
    private long ensure(JsonNode partner, Map<String, Object> wanted) {
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
     * Anonymises each of the person's buyer identities (below) and leaves how many partners that took
     * in the exchange property {@link AccountErasure#PARTNERS_ERASED}.
     */
    public void erase(AccountErasure erasure, Exchange exchange) {
        int erased = 0;
        for (AccountErasure.Party party : erasure.parties()) {
            erased += erase(party.keyPrefix() + party.identity(), OdooCatalog.externalIdName(party.keyPrefix(), party.identity()),
                    party.keyPrefix() + party.pseudonym(), OdooCatalog.externalIdName(party.keyPrefix(), party.pseudonym()),
                    party.erasedName());
        }
        exchange.setProperty(AccountErasure.PARTNERS_ERASED, erased);
    }

    /**
     * Anonymises the partner with {@code ref} (or the external id) and its contacts (delivery
     * addresses): every personal field we fill is cleared, the name becomes {@code erasedName}, the
     * ref and external id the pseudonym's. Records stay, so orders keep their customer. Returns how
     * many partners were anonymised.
     */
    int erase(String ref, String externalId, String pseudonymRef, String pseudonymExternalId, String erasedName) {
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

    /**
     * The buyer's delivery contact for this ship-to ({@code res.partner} with {@code parent_id} = the
     * buyer, {@code type = delivery}): one with the identical address is reused (and its empty
     * fields, such as a phone, completed), otherwise one is created. Always a child of the buyer,
     * so erasing a buyer's personal data finds it by {@code parent_id}. Returns empty when the
     * ship-to carries no address (eBay drops it after 90 days): then nothing is created or erased.
     */
    public Optional<Long> ensureDeliveryContact(long buyer, Map<String, Object> values) {
        return deliveryContact(buyer, present(values), true);
    }

    private Optional<Long> deliveryContact(long buyer, Map<String, Object> wanted, boolean mayExist) {
        if (ADDRESS.stream().noneMatch(field -> !field.equals("name") && wanted.containsKey(field))) {
            return Optional.empty();
        }
        List<String> fields = new ArrayList<>(ADDRESS);
        fields.add("phone");
        synchronized (locks[Math.floorMod(Long.hashCode(buyer), locks.length)]) {
            List<JsonNode> contacts = !mayExist ? List.of() : odoo.searchRead("res.partner", List.of(List.of("parent_id", "=", buyer),
                    List.of("type", "=", "delivery")), fields, null, "id asc", Map.of("active_test", false));
            for (JsonNode contact : contacts) {
                if (ADDRESS.stream().allMatch(field -> sameValue(contact.get(field), wanted.get(field)))) {
                    return Optional.of(ensure(contact, wanted));
                }
            }
            Map<String, Object> create = new LinkedHashMap<>(wanted);
            create.put("parent_id", buyer);
            create.put("type", "delivery");
            return Optional.of(odoo.createOne("res.partner", create, null));
        }
    }

    /** Odoo reads an empty field as {@code false} and a many2one as {@code [id, name]}; blanks compare equal. */
    private static boolean sameValue(JsonNode odooValue, Object wanted) {
        String stored = odooValue == null || odooValue.isNull() || odooValue.isBoolean() ? ""
                : odooValue.isArray() ? odooValue.path(0).asText() : odooValue.asText();
        String given = wanted == null ? "" : String.valueOf(wanted);
        return stored.trim().equalsIgnoreCase(given.trim());
    }

    /** Non-blank values only, with {@code country_code} turned into {@code country_id}. */
    private Map<String, Object> present(Map<String, Object> values) {
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
        return wanted;
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
