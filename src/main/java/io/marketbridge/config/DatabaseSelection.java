package io.marketbridge.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Chooses the database at run time from {@code marketbridge.db.url}: a {@code jdbc:postgresql:} URL
 * activates the PostgreSQL datasource, anything else the embedded H2 one. Quarkus fixes each
 * datasource's kind at build time, so both are built in and exactly one is made active here.
 * Low ordinal: an explicit {@code quarkus.datasource.*.active} anywhere else still wins.
 */
public class DatabaseSelection implements ConfigSourceFactory {

    public static final String H2 = "h2";
    public static final String POSTGRESQL = "postgresql";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue url = context.getValue("marketbridge.db.url");
        boolean postgres = url != null && url.getValue() != null && url.getValue().startsWith("jdbc:postgresql:");
        return List.of(new PropertiesConfigSource(Map.of(
                "marketbridge.db.kind", postgres ? POSTGRESQL : H2,
                "quarkus.datasource." + H2 + ".active", String.valueOf(!postgres),
                "quarkus.datasource." + POSTGRESQL + ".active", String.valueOf(postgres)),
                "marketbridge-database-selection", 110));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(110);
    }
}
