package io.marketbridge.ebay.listings;

import io.marketbridge.ebay.notifications.EbayPlatformNotifications;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ListingMappingTest {

    @Test
    void descriptionsBecomePlainText() {
        assertEquals("Brand new\nIncludes: lens & strap\n5€ off",
                EbayListingMapper.plainText("<div><h2>Brand new</h2><script>track()</script><p>Includes: lens &amp; strap</p>"
                        + "<p>5&#8364; off</p></div>"));
        assertNull(EbayListingMapper.plainText("<p> </p>"));
        assertEquals(4000, EbayListingMapper.plainText("x".repeat(5000)).length());
    }

    @Test
    void onlyBarcodesWithAValidCheckDigitAreKept() {
        assertEquals("4006381333931", EbayPlatformNotifications.firstValidBarcode("4006381333931"));
        assertEquals("036000291452", EbayPlatformNotifications.firstValidBarcode("Does not apply", "036000291452"));
        assertNull(EbayPlatformNotifications.firstValidBarcode("4006381333932"));
        assertNull(EbayPlatformNotifications.firstValidBarcode((String) null));
    }
}
