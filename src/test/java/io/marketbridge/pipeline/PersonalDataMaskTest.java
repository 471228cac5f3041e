package io.marketbridge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Payloads as the operator page shows them: the business stays, the person goes, whichever channel. */
class PersonalDataMaskTest {

    @Test
    void anEbayOrderKeepsItsLinesAndLosesItsBuyer() {
        JsonNode order = PersonalDataMask.mask("""
                {"orderId":"12-34567-89012","buyer":{"username":"jane_doe","taxAddress":{"postalCode":"95125"}},
                 "fulfillmentStartInstructions":[{"shippingStep":{"shipTo":{"fullName":"Jane Doe",
                   "contactAddress":{"addressLine1":"1 Main St","city":"San Jose","postalCode":"95125","countryCode":"US"},
                   "primaryPhone":{"phoneNumber":"4085551234"},"email":"jane@example.com"}}}],
                 "lineItems":[{"sku":"CAM-1","quantity":2,"lineItemCost":{"value":"19.99","currency":"USD"}}]}""");
        String text = order.toString();
        for (String personal : new String[] {"jane_doe", "Jane Doe", "1 Main St", "San Jose", "95125", "4085551234", "jane@example.com"}) {
            assertFalse(text.contains(personal), personal + " in " + text);
        }
        assertEquals("12-34567-89012", order.path("orderId").asText());
        assertEquals("CAM-1", order.path("lineItems").path(0).path("sku").asText());
        assertEquals(2, order.path("lineItems").path(0).path("quantity").asInt());
        assertEquals("19.99", order.path("lineItems").path(0).path("lineItemCost").path("value").asText());
    }

    @Test
    void medusaAndCartonaOrdersLoseTheirShopperAndRetailer() {
        String medusa = PersonalDataMask.mask("""
                {"id":"order_1","email":"shopper@example.com","shipping_address":{"first_name":"Ann","last_name":"Lee",
                 "address_1":"5 Rue X","phone":"+33123"},"items":[{"variant_sku":"TEE-M","quantity":1}]}""").toString();
        assertFalse(medusa.contains("shopper@example.com") || medusa.contains("Ann") || medusa.contains("Lee")
                || medusa.contains("5 Rue X") || medusa.contains("+33123"), medusa);
        assertTrue(medusa.contains("TEE-M") && medusa.contains("order_1"), medusa);

        String cartona = PersonalDataMask.mask("""
                {"hashed_id":"abc","retailer":{"retailer_code":"R-9","name":"Corner Shop","phone":"0100"},
                 "order_details":[{"internal_product_id":"77","amount":3}]}""").toString();
        assertFalse(cartona.contains("Corner Shop") || cartona.contains("0100") || cartona.contains("R-9"), cartona);
        assertTrue(cartona.contains("\"internal_product_id\":\"77\"") && cartona.contains("abc"), cartona);
    }

    @Test
    void aPayloadThatIsNotJsonIsNotShown() {
        JsonNode shown = PersonalDataMask.mask("<soap>Jane Doe</soap>");
        assertTrue(shown.isTextual() && !shown.asText().contains("Jane"), shown.toString());
    }
}
