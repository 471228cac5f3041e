package io.marketbridge.cartona;

import java.util.Optional;

/**
 * A Cartona supplier account: its name (in logs, cursors and its orders' Odoo tag), the token its calls carry, and
 * the secret its order webhooks present (absent: its orders come by pull only).
 */
public record CartonaAccount(String name, String token, Optional<String> webhookSecret) {

    @Override
    public String toString() {
        return "Cartona account " + name; // never the token
    }
}
