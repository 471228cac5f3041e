package io.marketbridge.ebay.account;

import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.pipeline.PermanentFailure;
import jakarta.inject.Singleton;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Seals the seller's refresh token for the database: AES-256-GCM under {@code marketbridge.ebay.oauth.token-key},
 * a fresh random 96-bit nonce per write, the row's identity as additional authenticated data (a sealed value
 * copied elsewhere does not open). Format: {@code v1:} + base64(nonce + ciphertext + tag).
 */
@Singleton
public class RefreshTokenCipher {

    static final String KEY_PROPERTY = "marketbridge.ebay.oauth.token-key";
    static final String KEY_ENV = "MARKETBRIDGE_EBAY_OAUTH_TOKEN_KEY";
    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Optional<String> configuredKey;
    private final SecureRandom random = new SecureRandom();

    RefreshTokenCipher(EbayConfig config) {
        this.configuredKey = config.oauth().tokenKey().filter(k -> !k.isBlank());
    }

    /** Fails with the key's name and environment variable when it is missing or not base64 of 32 bytes. */
    public void requireKey() {
        key();
    }

    public String seal(String token, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(token.getBytes(StandardCharsets.UTF_8));
            return VERSION + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is part of every JDK", e);
        }
    }

    public String open(String sealed, String associatedData) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new PermanentFailure(EbayTokens.PEER, "the stored eBay refresh token is not in a known sealed format:"
                    + " reconnect the seller at /admin/ebay/connect");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new PermanentFailure(EbayTokens.PEER, "the stored eBay refresh token does not open with " + KEY_PROPERTY
                    + " (was the key changed?): restore the previous key or reconnect the seller at /admin/ebay/connect");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is part of every JDK", e);
        }
    }

    private SecretKeySpec key() {
        String value = configuredKey.orElseThrow(() -> new PermanentFailure(EbayTokens.PEER, KEY_PROPERTY + " (" + KEY_ENV
                + ") is not set: connecting a seller stores the refresh token encrypted with it. Set it to base64 of 32 random"
                + " bytes (e.g. openssl rand -base64 32) and keep it with the service's other secrets."));
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure(EbayTokens.PEER, KEY_PROPERTY + " (" + KEY_ENV + ") is not valid base64");
        }
        if (key.length != 32) {
            throw new PermanentFailure(EbayTokens.PEER, KEY_PROPERTY + " (" + KEY_ENV + ") must be base64 of 32 bytes (AES-256),"
                    + " not " + key.length);
        }
        return new SecretKeySpec(key, "AES");
    }
}
