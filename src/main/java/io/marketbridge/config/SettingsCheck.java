package io.marketbridge.config;

import java.util.List;
import java.util.Optional;

/**
 * A peer's own check of its settings, which {@link RequiredSettings} asks at start-up: each peer
 * package contributes one, so adding a peer adds its check without an edit here.
 */
public interface SettingsCheck {

    /** The properties an enabled peer needs and lacks (names, never values). */
    List<String> missing();

    /** Settings that are present but outside what the peer accepts, each a sentence naming the property. */
    default List<String> invalid() {
        return List.of();
    }

    /** Adds the property to {@code missing} when its value is absent or blank. */
    static void require(List<String> missing, String property, Optional<?> value) {
        if (value.isEmpty() || value.get().toString().isBlank()) {
            missing.add(property);
        }
    }
}
