package io.marketbridge.ebay.notifications;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlatformNotificationSignatureTest {

    // computed independently: base64(md5(raw bytes)) of the concatenation, in Python
    private static final String EXPECTED = "cceRDIZ9phWI0pk1KLVduQ==";

    @Test
    void signsTimestampDevIdAppIdCertIdAsBase64OfRawMd5() {
        assertEquals(EXPECTED, PlatformNotificationSignature.sign("2024-05-15T08:25:43.511Z", "my-dev-id",
                "MyApp-PRD-0123456789", "PRD-cert-secret"));
    }

    @Test
    void verifiesOnlyTheExactSignature() {
        assertTrue(PlatformNotificationSignature.verify(EXPECTED, "2024-05-15T08:25:43.511Z", "my-dev-id",
                "MyApp-PRD-0123456789", "PRD-cert-secret"));
        assertTrue(PlatformNotificationSignature.verify(" " + EXPECTED + "\n", "2024-05-15T08:25:43.511Z", "my-dev-id",
                "MyApp-PRD-0123456789", "PRD-cert-secret"), "whitespace around the element text is not part of it");
        assertFalse(PlatformNotificationSignature.verify(EXPECTED, "2024-05-15T08:25:43.512Z", "my-dev-id",
                "MyApp-PRD-0123456789", "PRD-cert-secret"), "the timestamp is signed exactly as written");
        assertFalse(PlatformNotificationSignature.verify(EXPECTED, "2024-05-15T08:25:43.511Z", "my-dev-id",
                "MyApp-PRD-0123456789", "another-cert"));
        assertFalse(PlatformNotificationSignature.verify(null, "2024-05-15T08:25:43.511Z", "d", "a", "c"));
    }
}
