package io.marketbridge.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * A person who closed their account on a channel, to be erased wherever we or Odoo hold them: each of
 * their identities becomes a pseudonym derived from the request (so a retry makes the same one).
 *
 * @param request the deletion request's key, for the log
 */
@RegisterForReflection
public record AccountErasure(String request, String pseudonym, List<Party> parties) {

    /** The exchange property where the partner writer leaves how many partners it anonymised. */
    public static final String PARTNERS_ERASED = "partnersErased";

    /**
     * One identity of the person as a buyer: the partner keyed {@code keyPrefix + identity} (its ref and
     * external id) becomes {@code keyPrefix + pseudonym}, named {@code erasedName}; records and orders stay.
     */
    @RegisterForReflection
    public record Party(String keyPrefix, String identity, String pseudonym, String erasedName) {
    }
}
