package io.freehold.controlplane.scheduling;

import java.util.List;

/**
 * A site's rack-loss headroom as the API shows it.
 *
 * @param survivesAnyRackLoss every rack's guests could be re-placed on the rest of the site
 */
record SiteHeadroom(String siteId, boolean survivesAnyRackLoss, List<Rack> racks) {

    /**
     * @param guests what is allocated on the rack's hosts
     * @param unplaceable how many of them would find no host elsewhere in the site
     * @param explanation why the first of those would not fit; absent when all would
     */
    record Rack(String rackId, int hosts, int guests, boolean survivable, int unplaceable, String explanation) {
    }
}
