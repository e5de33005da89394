package io.freehold.controlplane.catalog;

import java.net.URI;

import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operators' price lists, their versions, and which list each tenant pays. */
@RestController
@RequestMapping("/api/v1/ops")
class PriceListController {

    private final PriceListService priceLists;

    PriceListController(PriceListService priceLists) {
        this.priceLists = priceLists;
    }

    @PostMapping("/price-lists")
    ResponseEntity<PriceList> create(Caller caller, @Valid @RequestBody PriceListRequests.Create request) {
        PriceList list = priceLists.create(caller, request);
        return ResponseEntity.created(URI.create("/api/v1/ops/price-lists/" + list.id())).body(list);
    }

    @GetMapping("/price-lists")
    Page<PriceList> list(Caller caller, @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        return priceLists.list(caller, PageRequest.parse(limit, cursor, id -> Base32.isId(PriceList.ID_PREFIX, id)));
    }

    @GetMapping("/price-lists/{priceListId}")
    PriceList get(Caller caller, @PathVariable String priceListId) {
        return priceLists.get(caller, priceListId);
    }

    @PatchMapping("/price-lists/{priceListId}")
    PriceList update(Caller caller, @PathVariable String priceListId, @Valid @RequestBody PriceListRequests.Update request) {
        return priceLists.update(caller, priceListId, request);
    }

    @PostMapping("/price-lists/{priceListId}/versions")
    ResponseEntity<PriceList> addVersion(Caller caller, @PathVariable String priceListId,
                                         @Valid @RequestBody PriceListRequests.NewVersion request) {
        PriceList list = priceLists.addVersion(caller, priceListId, request);
        return ResponseEntity.created(URI.create("/api/v1/ops/price-lists/" + list.id())).body(list);
    }

    @GetMapping("/tenants/{tenantId}/pricing")
    TenantPricing pricing(Caller caller, @PathVariable String tenantId) {
        return priceLists.pricing(caller, tenantId);
    }

    @PutMapping("/tenants/{tenantId}/pricing")
    TenantPricing assign(Caller caller, @PathVariable String tenantId, @Valid @RequestBody PriceListRequests.Pricing request) {
        return priceLists.assign(caller, tenantId, request);
    }
}
