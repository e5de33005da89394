package io.freehold.controlplane.tenancy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.security.SecretToken;
import io.freehold.controlplane.platform.security.TokenAuthenticator;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import io.freehold.controlplane.platform.web.ProblemType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens: a user creates and revokes its own; whoever manages a user (its tenant-admin, or an
 * ops-admin) does so for it. Reading another user's tokens also takes an operator role.
 */
@Service
class TokenService implements TokenAuthenticator {

    static final String API_TOKEN_KIND = "fh";

    private final ApiTokenStore tokens;
    private final UserService users;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    TokenService(ApiTokenStore tokens, UserService users, AuditTrail audit, IdGenerator ids, Clock clock) {
        this.tokens = tokens;
        this.users = users;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public Caller authenticate(String bearerToken) {
        SecretToken secret = SecretToken.parse(API_TOKEN_KIND, bearerToken).orElseThrow(TokenService::invalid);
        ApiTokenStore.Credential credential = tokens.findCredential(secret.prefix()).orElseThrow(TokenService::invalid);
        if (!secret.matches(credential.secretHash())) {
            throw invalid();
        }
        ApiToken token = credential.token();
        Instant now = clock.instant();
        if (token.revokedAt() != null) {
            throw new ApiProblem(ProblemType.UNAUTHENTICATED, "this API token was revoked at " + token.revokedAt());
        }
        if (token.expiresAt() != null && !now.isBefore(token.expiresAt())) {
            throw new ApiProblem(ProblemType.UNAUTHENTICATED, "this API token expired at " + token.expiresAt());
        }
        if (credential.tenantStatus() == TenantStatus.SUSPENDED) {
            throw new ApiProblem(ProblemType.TENANT_SUSPENDED, "your tenant is suspended: " + credential.suspendedReason());
        }
        tokens.touch(token.id(), now);
        return new Caller(token.userId(), credential.role(), token.tenantId(), token.id());
    }

    @Transactional
    CreatedToken create(Caller caller, String userId, TokenRequests.Create request) {
        User user = users.visible(caller, userId);
        if (!caller.userId().equals(userId)) {
            UserService.requireManager(caller, user);
        }
        Duration lifetime = Duration.ofDays(request.expiresInDays() == null
                ? TokenRequests.DEFAULT_LIFETIME_DAYS : request.expiresInDays());
        CreatedToken created = issue(user, request.name().strip(), caller.userId(), lifetime);
        audit.succeeded(caller, user.tenantId(), "token.create", created.metadata().id(),
                Map.of("user", userId, "name", created.metadata().name(), "prefix", created.metadata().prefix()));
        return created;
    }

    Page<ApiToken> list(Caller caller, String userId, PageRequest page) {
        User user = users.visible(caller, userId);
        if (!caller.userId().equals(userId) && !caller.role().can(Capability.READ_OPS)) {
            UserService.requireManager(caller, user);
        }
        return Page.of(tokens.listForUser(userId, page), page, ApiToken::id);
    }

    @Transactional
    void revoke(Caller caller, String userId, String tokenId) {
        User user = users.visible(caller, userId);
        if (!caller.userId().equals(userId)) {
            UserService.requireManager(caller, user);
        }
        if (!Base32.isId(ApiToken.ID_PREFIX, tokenId) || tokens.findForUser(userId, tokenId).isEmpty()) {
            throw ApiProblem.notFound("token", tokenId);
        }
        tokens.revoke(tokenId, clock.instant());
        audit.succeeded(caller, user.tenantId(), "token.revoke", tokenId, Map.of("user", userId));
    }

    /**
     * Issues a token without a caller, for the bootstrap operator.
     *
     * @param lifetime null for a token that never expires
     */
    CreatedToken issue(User user, String name, String createdBy, Duration lifetime) {
        Instant now = clock.instant();
        SecretToken secret = SecretToken.generate(API_TOKEN_KIND);
        ApiToken token = new ApiToken(ids.next(ApiToken.ID_PREFIX), user.id(), user.tenantId(), name, secret.prefix(),
                createdBy, now, lifetime == null ? null : now.plus(lifetime), null, null);
        tokens.insert(token, secret.hash());
        return new CreatedToken(token, secret.token());
    }

    private static ApiProblem invalid() {
        return new ApiProblem(ProblemType.UNAUTHENTICATED, "the API token is not valid");
    }
}
