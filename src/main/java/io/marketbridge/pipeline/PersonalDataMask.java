package io.marketbridge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A stored payload as an operator may see it: whatever names, reaches or locates a person (a buyer,
 * shopper or retailer: names, e-mail, phone, addresses, user names) is replaced by "•••", whichever
 * channel sent it. Field names decide: a contact field anywhere, and everything inside an object that
 * describes a person or an address. A payload that is not JSON is not shown at all.
 */
public final class PersonalDataMask {

    static final String MASK = "•••";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields that are personal wherever they are (compared without case, "_" or "-"). */
    private static final Set<String> PERSONAL_FIELDS = Set.of("email", "phone", "phonenumber", "primaryphone", "mobile",
            "fullname", "firstname", "lastname", "username", "buyername", "retailername", "customername", "contactname",
            "taxid", "vatnumber");
    /** Objects about a person or a place: every value inside is personal. */
    private static final List<String> PERSONAL_OBJECTS = List.of("address", "shipto", "buyer", "customer", "retailer",
            "recipient", "billing", "contact");

    private PersonalDataMask() {
    }

    /** The payload, masked, as JSON; a payload that is not JSON is replaced by a note. */
    public static JsonNode mask(String payload) {
        try {
            return mask(JSON.readTree(payload), false);
        } catch (IOException e) {
            return TextNode.valueOf("(not JSON: not shown, it may hold personal data)");
        }
    }

    private static JsonNode mask(JsonNode node, boolean personal) {
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(object.properties());
            for (Map.Entry<String, JsonNode> field : fields) {
                String key = field.getKey().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
                boolean inside = personal || PERSONAL_OBJECTS.stream().anyMatch(key::contains);
                if (PERSONAL_FIELDS.contains(key) && field.getValue().isValueNode() && !field.getValue().isNull()) {
                    object.put(field.getKey(), MASK);
                } else {
                    object.set(field.getKey(), mask(field.getValue(), inside));
                }
            }
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, mask(array.get(i), personal));
            }
            return array;
        }
        return personal && (node.isTextual() || node.isNumber()) ? TextNode.valueOf(MASK) : node;
    }
}
