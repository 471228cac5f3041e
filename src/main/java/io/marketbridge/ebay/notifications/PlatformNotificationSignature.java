package io.marketbridge.ebay.notifications;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * eBay signs each Platform Notification with Base64(MD5(Timestamp + DevID + AppID + CertID)), the
 * MD5 taken as raw bytes and the timestamp exactly as written in the body.
 */
public final class PlatformNotificationSignature {

    private PlatformNotificationSignature() {
    }

    public static String sign(String timestamp, String devId, String appId, String certId) {
        return Base64.getEncoder().encodeToString(md5(timestamp + devId + appId + certId));
    }

    /** Constant-time: the comparison time does not reveal how much of a forged signature was right. */
    public static boolean verify(String signature, String timestamp, String devId, String appId, String certId) {
        if (signature == null || timestamp == null) {
            return false;
        }
        byte[] expected = sign(timestamp, devId, appId, certId).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] md5(String text) {
        try {
            return MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
