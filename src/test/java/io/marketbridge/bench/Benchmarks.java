package io.marketbridge.bench;

import java.util.HashMap;
import java.util.Map;

/** What the benchmark main classes share: their {@code --key=value} options and the packaged jar run with its simulated peers. */
final class Benchmarks {

    private Benchmarks() {
    }

    /** {@code --key=value} arguments over the defaults; a bare {@code --flag} is "true". */
    static Map<String, String> options(String[] args, Map<String, String> defaults) {
        Map<String, String> options = new HashMap<>(defaults);
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        return options;
    }

    /** The jar in its demo profile serving the simulated peers (no simulated seller activity), quiet, Jolokia on its own port. */
    static Map<String, String> withSimulatedPeers(int jolokiaPort) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_PROFILE", "demo");
        env.put("MARKETBRIDGE_ROUTES", "classpath:routes/*.yaml,classpath:sandbox/routes/*.yaml");
        env.put("MARKETBRIDGE_SANDBOX_EBAY_ACTIVITY", "false");
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        env.put("QUARKUS_CAMEL_JOLOKIA_SERVER_PORT", String.valueOf(jolokiaPort));
        return env;
    }
}
