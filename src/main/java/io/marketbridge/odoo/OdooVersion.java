package io.marketbridge.odoo;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What {@code common.version} says, and what follows from it for the fields we write. */
@RegisterForReflection
public record OdooVersion(int major, String serverVersion) {

    /** Odoo 16/17 have {@code type='product'}; 18 made storability a flag on consumables. */
    public boolean storableIsFlag() {
        return major >= 18;
    }

    /** The taxes of a sale order line: {@code tax_id} up to 18, {@code tax_ids} from 19 on. */
    public String saleLineTaxes() {
        return major >= 19 ? "tax_ids" : "tax_id";
    }

    /** JSON-2 exists from Odoo 19 on. */
    public boolean hasJson2() {
        return major >= 19;
    }
}
