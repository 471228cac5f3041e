package io.marketbridge.pipeline;

/**
 * What a person must decide before a dead-lettered event can go on (create the product an order names, cancel a
 * locked order by hand), and the Odoo record it is about: the pipeline puts it in that person's Odoo activities.
 */
public record Decision(String model, long recordId, String summary) {
}
