package io.marketbridge.admin;

import java.sql.SQLException;

/**
 * A package's own part of {@code /admin/status} (a connection, a poller, a sync's progress): the status
 * lists every one after the service's own sections, so adding a flow adds its status without an edit here.
 */
public interface StatusSection {

    /** Its key in the status report, e.g. {@code ebayInventory}. */
    String section();

    /** Where it appears among the contributed sections. */
    int order();

    Object status() throws SQLException;
}
