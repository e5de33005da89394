package io.freehold.controlplane.scheduling;

import io.freehold.controlplane.platform.security.Caller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A site's rack-loss headroom, beside inventory's capacity views under {@code /ops/sites}. */
@RestController
class HeadroomController {

    private final HeadroomService headroom;

    HeadroomController(HeadroomService headroom) {
        this.headroom = headroom;
    }

    @GetMapping("/api/v1/ops/sites/{siteId}/rack-loss-headroom")
    SiteHeadroom ofSite(Caller caller, @PathVariable String siteId) {
        return headroom.ofSite(caller, siteId);
    }
}
