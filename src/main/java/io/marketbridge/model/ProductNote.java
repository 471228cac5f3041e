package io.marketbridge.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A line for a product's history in Odoo's chatter (a listing ended, say); the product itself is unchanged. */
@RegisterForReflection
public record ProductNote(long productTemplateId, String text) {
}
