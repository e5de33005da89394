package io.freehold.controlplane.metering;

import io.freehold.controlplane.platform.security.Caller;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** On-demand rollup recomputes for operators ({@link OnDemandRecompute}). */
@RestController
class UsageRecomputeController {

    /** Narrows what is recomputed; both absent (or no body) means every instance whose hours are not all settled. */
    record RecomputeRequest(String tenantId, String instanceId) {
    }

    /** @param queued how many instances are queued, due now */
    record RecomputeQueued(int queued) {
    }

    private final OnDemandRecompute recompute;

    UsageRecomputeController(OnDemandRecompute recompute) {
        this.recompute = recompute;
    }

    /** 202: the recomputes are queued, not done; the worker of some replica does them within seconds. */
    @PostMapping("/api/v1/ops/usage/recompute")
    ResponseEntity<RecomputeQueued> recompute(Caller caller, @RequestBody(required = false) RecomputeRequest request) {
        RecomputeRequest scope = request == null ? new RecomputeRequest(null, null) : request;
        return ResponseEntity.accepted().body(new RecomputeQueued(recompute.queue(caller, scope.tenantId(), scope.instanceId())));
    }
}
