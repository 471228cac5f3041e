package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.config.RequiredSettings;
import io.marketbridge.pipeline.PeerHttp;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The configured Odoo, built on first use. */
public class OdooClientProducer {

    @Produces
    @Singleton
    OdooClient odooClient(OdooConfig config, PeerHttp http, ObjectMapper json, RequiredSettings required) {
        required.verify();
        return new OdooClient(OdooSettings.from(config), http, json);
    }
}
