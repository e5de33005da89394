package io.freehold.controlplane.tenancy;

import java.net.URI;

import com.fasterxml.jackson.annotation.JsonInclude;
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

/** The caller's own account and tokens, for every role including operators. */
@RestController
@RequestMapping("/api/v1/me")
class MeController {

    /** The caller, its tenant (absent for operators) and the token it used. */
    record Me(UserView user, @JsonInclude(JsonInclude.Include.NON_NULL) Tenant tenant, String tokenId) {
    }

    private final UserService users;
    private final TenantService tenants;
    private final TokenService tokens;

    MeController(UserService users, TenantService tenants, TokenService tokens) {
        this.users = users;
        this.tenants = tenants;
        this.tokens = tokens;
    }

    @GetMapping
    Me me(Caller caller) {
        UserView user = users.visible(caller, caller.userId()).view();
        return new Me(user, user.tenantId() == null ? null : tenants.find(user.tenantId()), caller.tokenId());
    }

    @PostMapping("/tokens")
    ResponseEntity<CreatedToken> createToken(Caller caller, @Valid @RequestBody TokenRequests.Create request) {
        CreatedToken token = tokens.create(caller, caller.userId(), request);
        return ResponseEntity.created(URI.create("/api/v1/me/tokens/" + token.metadata().id())).body(token);
    }

    @GetMapping("/tokens")
    Page<ApiToken> listTokens(Caller caller, @RequestParam(required = false) String limit,
                              @RequestParam(required = false) String cursor) {
        return tokens.list(caller, caller.userId(), UserController.tokenPage(limit, cursor));
    }

    @DeleteMapping("/tokens/{tokenId}")
    ResponseEntity<Void> revokeToken(Caller caller, @PathVariable String tokenId) {
        tokens.revoke(caller, caller.userId(), tokenId);
        return ResponseEntity.noContent().build();
    }
}
