package io.freehold.controlplane.inventory;

import java.net.URI;

import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.web.Page;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Join tokens: created with their secret shown once, listed without it, revoked while unused. */
@RestController
@RequestMapping("/api/v1/ops/join-tokens")
class JoinTokenController {

    private final JoinTokenService tokens;

    JoinTokenController(JoinTokenService tokens) {
        this.tokens = tokens;
    }

    @PostMapping
    ResponseEntity<CreatedJoinToken> create(Caller caller, @Valid @RequestBody(required = false) JoinTokenRequests.Create request) {
        CreatedJoinToken token = tokens.create(caller, request == null ? new JoinTokenRequests.Create(null, null) : request);
        return ResponseEntity.created(URI.create("/api/v1/ops/join-tokens/" + token.id())).body(token);
    }

    @GetMapping
    Page<JoinToken> list(Caller caller, @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        return tokens.list(caller, InventoryIds.page(HostRegistry.JOIN_TOKEN_ID_PREFIX, limit, cursor));
    }

    @DeleteMapping("/{joinTokenId}")
    ResponseEntity<Void> revoke(Caller caller, @PathVariable String joinTokenId) {
        tokens.revoke(caller, joinTokenId);
        return ResponseEntity.noContent().build();
    }
}
