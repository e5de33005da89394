package io.freehold.controlplane.catalog;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import io.freehold.controlplane.tenancy.TenantService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Operators keep price lists: a list has a currency and versions, each with a tax rate and a unit price per meter from
 * an hour on. A version is never changed or removed — prices change by a new version from a later hour, never for an
 * hour that has begun — and every tenant pays the default list unless assigned one, with an optional discount.
 */
@Service
class PriceListService {

    /** The meters metering publishes; an instance.seconds price may name the flavor shape it applies to. */
    private static final Pattern METER = Pattern.compile("vcpu\\.seconds|memory\\.gib\\.seconds|disk\\.gib\\.seconds"
            + "|instance\\.seconds(:[1-9][0-9]{0,3}vcpu-[1-9][0-9]{0,9}mib-[1-9][0-9]{0,9}gib)?");
    private static final Pattern DECIMAL = Pattern.compile(PriceListRequests.DECIMAL);

    private final PriceListStore lists;
    private final TenantService tenants;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    PriceListService(PriceListStore lists, TenantService tenants, AuditTrail audit, IdGenerator ids, Clock clock) {
        this.lists = lists;
        this.tenants = tenants;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    @Transactional
    PriceList create(Caller caller, PriceListRequests.Create request) {
        caller.require(Capability.WRITE_OPS);
        String id = ids.next(PriceList.ID_PREFIX);
        if (!lists.insert(id, request.name(), request.currency(), clock.instant())) {
            throw ApiProblem.conflict("price list name '" + request.name() + "' is already taken");
        }
        if (Boolean.TRUE.equals(request.isDefault())) {
            lists.makeDefault(id);
        }
        audit.succeeded(caller, null, "price-list.create", id, Map.of("name", request.name(), "currency", request.currency(),
                "isDefault", Boolean.TRUE.equals(request.isDefault())));
        return lists.find(id).orElseThrow();
    }

    Page<PriceList> list(Caller caller, PageRequest page) {
        caller.require(Capability.READ_OPS);
        return Page.of(lists.list(page), page, PriceList::id);
    }

    PriceList get(Caller caller, String id) {
        caller.require(Capability.READ_OPS);
        return lists.find(inPath(id)).orElseThrow(() -> ApiProblem.notFound("price list", id));
    }

    @Transactional
    PriceList update(Caller caller, String id, PriceListRequests.Update request) {
        caller.require(Capability.WRITE_OPS);
        PriceList list = lists.lock(inPath(id)).orElseThrow(() -> ApiProblem.notFound("price list", id));
        if (request.isDefault()) {
            lists.makeDefault(list.id());
        } else {
            lists.clearDefault(list.id());
        }
        audit.succeeded(caller, null, "price-list.update", list.id(), Map.of("isDefault", request.isDefault()));
        return lists.find(list.id()).orElseThrow();
    }

    /** Adds the next version, from an hour not begun yet and later than the last version's. */
    @Transactional
    PriceList addVersion(Caller caller, String id, PriceListRequests.NewVersion request) {
        caller.require(Capability.WRITE_OPS);
        PriceList list = lists.lock(inPath(id)).orElseThrow(() -> ApiProblem.notFound("price list", id));
        Instant from = request.effectiveFrom();
        if (!from.equals(from.truncatedTo(ChronoUnit.HOURS))) {
            throw ApiProblem.invalid("effectiveFrom", "must be on the hour (rating prices whole hours), e.g. "
                    + from.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS));
        }
        Instant currentHour = clock.instant().truncatedTo(ChronoUnit.HOURS);
        if (from.isBefore(currentHour)) {
            throw ApiProblem.invalid("effectiveFrom", "must not be before the current hour, " + currentHour
                    + ": the prices of hours that have begun never change");
        }
        List<PriceList.Version> versions = list.versions();
        PriceList.Version last = versions.isEmpty() ? null : versions.get(versions.size() - 1);
        if (last != null && !from.isAfter(last.effectiveFrom())) {
            throw ApiProblem.invalid("effectiveFrom", "must be after the latest version's, " + last.effectiveFrom());
        }
        Map<String, BigDecimal> prices = new TreeMap<>();
        request.unitPrices().forEach((meter, price) -> {
            if (!METER.matcher(meter).matches()) {
                throw ApiProblem.invalid("unitPrices." + meter, "names no meter: one of vcpu.seconds, memory.gib.seconds, "
                        + "disk.gib.seconds, instance.seconds or instance.seconds:<vcpus>vcpu-<MiB>mib-<GiB>gib");
            }
            if (price == null || !DECIMAL.matcher(price).matches()) {
                throw ApiProblem.invalid("unitPrices." + meter, PriceListRequests.DECIMAL_RULE);
            }
            prices.put(meter, new BigDecimal(price));
        });
        int version = last == null ? 1 : last.version() + 1;
        lists.insertVersion(list.id(), version, from, new BigDecimal(request.taxRate()), prices, clock.instant());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", version);
        details.put("effectiveFrom", from.toString());
        details.put("taxRate", request.taxRate());
        details.put("unitPrices", request.unitPrices());
        audit.succeeded(caller, null, "price-list.version", list.id(), details);
        return lists.find(list.id()).orElseThrow();
    }

    TenantPricing pricing(Caller caller, String tenantId) {
        caller.require(Capability.READ_OPS);
        tenants.find(tenantId);
        return lists.assignment(tenantId)
                .orElseGet(() -> new TenantPricing(tenantId, lists.defaultList().orElse(null), false, "0", null));
    }

    @Transactional
    TenantPricing assign(Caller caller, String tenantId, PriceListRequests.Pricing request) {
        caller.require(Capability.WRITE_OPS);
        tenants.find(tenantId);
        if (!Base32.isId(PriceList.ID_PREFIX, request.priceListId()) || lists.find(request.priceListId()).isEmpty()) {
            throw ApiProblem.invalid("priceListId", "names no price list");
        }
        String discount = request.discountPercent() == null ? "0" : request.discountPercent();
        lists.assign(tenantId, request.priceListId(), new BigDecimal(discount), clock.instant());
        audit.succeeded(caller, tenantId, "price-list.assign", request.priceListId(), Map.of("discountPercent", discount));
        return lists.assignment(tenantId).orElseThrow();
    }

    /** A path id that cannot be a price list's finds nothing. */
    private static String inPath(String id) {
        if (!Base32.isId(PriceList.ID_PREFIX, id)) {
            throw ApiProblem.notFound("price list", id);
        }
        return id;
    }
}
