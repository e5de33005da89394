package io.freehold.controlplane.tenancy;

import java.net.URI;

import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Users of tenants ({@code /users}) and of the operator ({@code /ops/users}), and their tokens. */
@RestController
@RequestMapping("/api/v1")
class UserController {

    private final UserService users;
    private final TokenService tokens;

    UserController(UserService users, TokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @PostMapping("/users")
    ResponseEntity<UserView> create(Caller caller, @RequestParam(required = false) String tenant,
                                    @Valid @RequestBody UserRequests.Create request) {
        UserView user = users.createTenantUser(caller, tenant, request);
        return ResponseEntity.created(URI.create("/api/v1/users/" + user.id())).body(user);
    }

    @GetMapping("/users")
    Page<UserView> list(Caller caller, @RequestParam(required = false) String tenant,
                        @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        return users.listTenantUsers(caller, tenant, userPage(limit, cursor));
    }

    @GetMapping("/users/{userId}")
    UserView get(Caller caller, @PathVariable String userId) {
        return users.get(caller, userId);
    }

    @PatchMapping("/users/{userId}")
    UserView update(Caller caller, @PathVariable String userId, @Valid @RequestBody UserRequests.Update request) {
        return users.update(caller, userId, request);
    }

    @DeleteMapping("/users/{userId}")
    ResponseEntity<Void> delete(Caller caller, @PathVariable String userId) {
        users.delete(caller, userId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/users/{userId}/tokens")
    ResponseEntity<CreatedToken> createToken(Caller caller, @PathVariable String userId,
                                             @Valid @RequestBody TokenRequests.Create request) {
        CreatedToken token = tokens.create(caller, userId, request);
        return ResponseEntity.created(URI.create("/api/v1/users/" + userId + "/tokens/" + token.metadata().id())).body(token);
    }

    @GetMapping("/users/{userId}/tokens")
    Page<ApiToken> listTokens(Caller caller, @PathVariable String userId,
                              @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        return tokens.list(caller, userId, tokenPage(limit, cursor));
    }

    @DeleteMapping("/users/{userId}/tokens/{tokenId}")
    ResponseEntity<Void> revokeToken(Caller caller, @PathVariable String userId, @PathVariable String tokenId) {
        tokens.revoke(caller, userId, tokenId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/ops/users")
    ResponseEntity<UserView> createOpsUser(Caller caller, @Valid @RequestBody UserRequests.Create request) {
        UserView user = users.createOpsUser(caller, request);
        return ResponseEntity.created(URI.create("/api/v1/users/" + user.id())).body(user);
    }

    @GetMapping("/ops/users")
    Page<UserView> listOpsUsers(Caller caller, @RequestParam(required = false) String limit,
                                @RequestParam(required = false) String cursor) {
        return users.listOpsUsers(caller, userPage(limit, cursor));
    }

    static PageRequest userPage(String limit, String cursor) {
        return PageRequest.parse(limit, cursor, id -> Base32.isId(User.ID_PREFIX, id));
    }

    static PageRequest tokenPage(String limit, String cursor) {
        return PageRequest.parse(limit, cursor, id -> Base32.isId(ApiToken.ID_PREFIX, id));
    }
}
