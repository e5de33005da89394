package io.freehold.controlplane.billing;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;

import io.freehold.controlplane.billing.decision.BillingPeriod;
import io.freehold.controlplane.billing.decision.InstanceEstimate;
import io.freehold.controlplane.billing.decision.PriceBook;
import io.freehold.controlplane.catalog.Flavor;
import io.freehold.controlplane.catalog.Flavors;
import io.freehold.controlplane.catalog.Image;
import io.freehold.controlplane.catalog.Images;
import io.freehold.controlplane.catalog.PriceLists;
import io.freehold.controlplane.metering.LifecycleFact;
import io.freehold.controlplane.metering.decision.HourlyUsage;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Prices a prospective instance for the caller's tenant with the same arithmetic rating uses. */
@Service
class Estimates {

    private final Flavors flavors;
    private final Images images;
    private final PriceLists priceLists;
    private final Clock clock;

    Estimates(Flavors flavors, Images images, PriceLists priceLists, Clock clock) {
        this.flavors = flavors;
        this.images = images;
        this.priceLists = priceLists;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    InstanceCostEstimate estimate(Caller caller, EstimateRequest request) {
        String tenantId = caller.ownTenant(Capability.READ_TENANT, "an estimate prices an instance for the caller's tenant");
        Flavor flavor = flavors.usableBy(tenantId, request.flavorId())
                .orElseThrow(() -> ApiProblem.invalid("flavorId", "names no flavor you may use"));
        String imageId = request.imageRef() == null ? null : images.usableBy(tenantId, request.imageRef())
                .map(Image::id).orElseThrow(() -> ApiProblem.invalid("imageRef", "names no image you may use"));
        Instant now = clock.instant();
        PriceBook book = priceLists.bookFor(tenantId).filter(found -> found.at(now).isPresent())
                .orElseThrow(() -> ApiProblem.conflict("no price list is in force for your tenant yet; ask your operator"));
        InstanceEstimate estimate = InstanceEstimate.of(book, now, shape(flavor.vcpus(), flavor.memoryMib(), flavor.rootDiskGib()),
                BillingPeriod.of(now));
        return new InstanceCostEstimate(flavor.id(), imageId, estimate.currency().getCurrencyCode(),
                book.at(now).orElseThrow().priceListId(), estimate.priceListVersion(), plain(book.discountPercent()),
                plain(estimate.perHourRunning()), plain(estimate.perHourStopped()), plain(estimate.perPeriodRunning()),
                estimate.periodHours(), estimate.unpricedMeters());
    }

    /** A shape to price, named as metering records its instance seconds, so that a flavor's own price applies alike. */
    static InstanceEstimate.Shape shape(int vcpus, long memoryMib, long rootDiskGib) {
        return new InstanceEstimate.Shape(vcpus, memoryMib, rootDiskGib, HourlyUsage.flavor(new LifecycleFact.Shape(vcpus, memoryMib, rootDiskGib)));
    }

    private static String plain(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }
}
