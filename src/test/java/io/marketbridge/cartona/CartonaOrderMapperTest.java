package io.marketbridge.cartona;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.cartona.CartonaConfig.ProductKey;
import io.marketbridge.model.ChannelOrder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Cartona order as a channel order, and what makes one unusable: no Camel, no HTTP. */
class CartonaOrderMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode order(String json) throws Exception {
        return JSON.readTree(json.replace('\'', '"'));
    }

    private static final String ORDER = "{'hashed_id':'ab12cd','supplier_code':'SUP-1','status':'pending','delivery_day':'2026-12-09',"
            + "'total_price':'61.00','created_at':'2026-12-06T10:00:00Z',"
            + "'retailer':{'retailer_name':'Al Amal Market','retailer_code':'R-77','retailer_number':'+201001234567',"
            + "'retailer_address':'12 Tahrir St, Giza','address_notes':'next to the pharmacy'},"
            + "'order_details':[{'id':1,'internal_product_id':'42','product_name':'Tea 100g','amount':3,'selling_price':'12.50','comment':'cold'},"
            + "{'id':2,'internal_product_id':'43','product_name':'Sugar 1kg','amount':'2','selling_price':11.75,'comment':''},"
            + "{'id':3,'internal_product_id':'44','product_name':'Rice','amount':0,'selling_price':'9.00'}]}";

    @Test
    void theRetailerIsTheCustomerAndEachLineItsOdooVariantAtThePerPiecePrice() throws Exception {
        ChannelOrder mapped = CartonaOrderMapper.toChannelOrder(order(ORDER), "main", ProductKey.ODOO_VARIANT_ID);

        assertEquals("cartona:ab12cd", mapped.ref());
        assertEquals("retailer_R-77", mapped.buyer().ref());
        assertEquals("Al Amal Market", mapped.buyer().name());
        assertEquals("+201001234567", mapped.buyer().phone());
        assertEquals("12 Tahrir St, Giza", mapped.buyer().street());
        assertEquals("next to the pharmacy", mapped.buyer().street2());
        assertNull(mapped.shipTo(), "the retailer's own address is where it goes");
        assertEquals(2, mapped.lines().size(), "a line taken out (amount 0) is not ordered");
        assertEquals(ChannelOrder.Line.byOdooId("1", 42, "Tea 100g", 3, new BigDecimal("12.50")), mapped.lines().get(0));
        assertEquals(ChannelOrder.Line.byOdooId("2", 43, "Sugar 1kg", 2, new BigDecimal("11.75")), mapped.lines().get(1));
        assertEquals(0, BigDecimal.ZERO.compareTo(mapped.shipping()), "Cartona orders carry no delivery fee");
        assertEquals(LocalDate.of(2026, 12, 9), mapped.deliveryDate());
        assertEquals("pending", mapped.status());
        assertEquals("main", mapped.account());
        assertFalse(mapped.paid());
        assertFalse(mapped.cancelled());
        assertEquals("Retailer's comments: cold", mapped.note());
    }

    @Test
    void byDefaultCodeTheLinesNameSkus() throws Exception {
        ChannelOrder mapped = CartonaOrderMapper.toChannelOrder(order(ORDER.replace("'42'", "'TEA-100'")), "north", ProductKey.DEFAULT_CODE);
        assertEquals("TEA-100", mapped.lines().get(0).sku());
        assertNull(mapped.lines().get(0).odooProductId());
    }

    @Test
    void approvedOrLaterIsAgreedAndACancellationByEitherSideIsCancelled() throws Exception {
        for (String status : List.of("approved", "assigned_to_salesman", "delivered")) {
            assertTrue(CartonaOrderMapper.toChannelOrder(order(ORDER.replace("'pending'", "'" + status + "'")), "main",
                    ProductKey.ODOO_VARIANT_ID).paid(), status);
        }
        for (String status : List.of("cancelled_by_retailer", "cancelled_by_supplier")) {
            assertTrue(CartonaOrderMapper.toChannelOrder(order(ORDER.replace("'pending'", "'" + status + "'")), "main",
                    ProductKey.ODOO_VARIANT_ID).cancelled(), status);
        }
    }

    @Test
    void everyProblemOfAnUnusableOrderIsNamed() throws Exception {
        JsonNode bad = order("{'hashed_id':'a b','status':'pending','retailer':{},'delivery_day':'Tuesday',"
                + "'order_details':[{'internal_product_id':'TEA','amount':-1,'selling_price':'free'}]}");
        List<String> problems = CartonaOrderMapper.problems(bad, ProductKey.ODOO_VARIANT_ID);
        assertEquals(List.of("hashed_id 'a b' is not an order id (letters, digits, _ and -)",
                "retailer.retailer_code is required",
                "order_details[0].internal_product_id 'TEA' is not an Odoo variant id (marketbridge.cartona.product-key=odoo-variant-id)",
                "order_details[0].amount must be a whole number, 0 or more",
                "order_details[0].selling_price must be an amount",
                "delivery_day 'Tuesday' is not a date (YYYY-MM-DD)"), problems);
        assertEquals(List.of("an order must be a JSON object"), CartonaOrderMapper.problems(order("[1]"), ProductKey.DEFAULT_CODE));
        assertEquals(List.of("hashed_id is required", "status is required", "retailer.retailer_code is required",
                "order_details must list at least one line"), CartonaOrderMapper.problems(order("{}"), ProductKey.DEFAULT_CODE));
    }

    @Test
    void aDeliveryDayGivenAsADateTimeIsItsDay() throws Exception {
        ChannelOrder mapped = CartonaOrderMapper.toChannelOrder(order(ORDER.replace("'2026-12-09'", "'2026-12-09T00:00:00+02:00'")), "main",
                ProductKey.ODOO_VARIANT_ID);
        assertEquals(LocalDate.of(2026, 12, 9), mapped.deliveryDate());
    }
}
