package io.marketbridge.hawtio;

import io.hawt.HawtioContextListener;
import io.hawt.system.ConfigManager;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Hawtio reads its {@code hawtio.*} settings from system properties only; this lets it read them
 * from the service's configuration too (system properties still win). JVM builds only: the
 * native build leaves the embedded console out (see the {@code hawtio} profile in pom.xml).
 */
public class QuarkusHawtioContextListener extends HawtioContextListener {

    public QuarkusHawtioContextListener() {
        super(new ConfigManager(name -> ConfigProvider.getConfig()
                .getOptionalValue("hawtio." + name, String.class).orElse(null)));
    }
}
