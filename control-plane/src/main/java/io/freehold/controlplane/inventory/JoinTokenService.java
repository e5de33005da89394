package io.freehold.controlplane.inventory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.security.SecretToken;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Join tokens as ops handle them: issued through {@link HostRegistry#issueJoinToken} with the command to
 * run on the new server, listed without their secrets, and revoked while unused.
 */
@Service
class JoinTokenService {

    private final HostRegistry registry;
    private final JoinTokenStore tokens;
    private final AgentEndpoint endpoint;
    private final AuditTrail audit;
    private final Clock clock;

    JoinTokenService(HostRegistry registry, JoinTokenStore tokens, AgentEndpoint endpoint, AuditTrail audit, Clock clock) {
        this.registry = registry;
        this.tokens = tokens;
        this.endpoint = endpoint;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    CreatedJoinToken create(Caller caller, JoinTokenRequests.Create request) {
        caller.require(Capability.WRITE_OPS);
        String hostId = request.hostId();
        if (hostId != null && registry.state(InventoryIds.inBody(HostRegistry.HOST_ID_PREFIX, "hostId", "host", hostId)).isEmpty()) {
            throw ApiProblem.invalid("hostId", "no host " + hostId);
        }
        Instant now = clock.instant();
        Duration lifetime = request.expiresInMinutes() == null ? null : Duration.ofMinutes(request.expiresInMinutes());
        IssuedJoinToken issued;
        try {
            issued = registry.issueJoinToken(hostId, lifetime, caller.userId(), now);
        } catch (JoinRefused refused) {
            // The slot exists (checked above), so what is left is that a server already joined it, or it was revoked.
            throw ApiProblem.conflict(refused.getMessage());
        }
        String prefix = SecretToken.parse(HostRegistry.JOIN_TOKEN_KIND, issued.token()).orElseThrow().prefix();
        String fingerprint = endpoint.caFingerprint();
        String command = "freehold-agent join --server " + endpoint.address() + " --token " + issued.token() + " --ca-hash " + fingerprint;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("prefix", prefix);
        if (hostId != null) {
            details.put("hostId", hostId);
        }
        details.put("expiresAt", issued.expiresAt().toString());
        audit.succeeded(caller, null, "join-token.create", issued.id(), details);
        return new CreatedJoinToken(issued.id(), prefix, issued.token(), hostId, caller.userId(), now, issued.expiresAt(), fingerprint,
                command);
    }

    Page<JoinToken> list(Caller caller, PageRequest page) {
        caller.require(Capability.READ_OPS);
        return Page.of(tokens.list(clock.instant(), page), page, JoinToken::id);
    }

    /** Deletes an unused token, expired or not; a used one stays as the record of its join. */
    @Transactional
    void revoke(Caller caller, String id) {
        caller.require(Capability.WRITE_OPS);
        JoinTokenStore.StoredJoinToken token = tokens.lock(InventoryIds.inPath(HostRegistry.JOIN_TOKEN_ID_PREFIX, "join token", id))
                .orElseThrow(() -> ApiProblem.notFound("join token", id));
        if (token.usedAt() != null) {
            throw ApiProblem.conflict("join token " + id + " was already used at " + token.usedAt() + "; revoke the host instead");
        }
        tokens.delete(id);
        audit.succeeded(caller, null, "join-token.revoke", id, token.hostId() == null ? Map.of() : Map.of("hostId", token.hostId()));
    }
}
