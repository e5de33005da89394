package io.freehold.controlplane.tenancy;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.security.Role;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.FieldError;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import io.freehold.controlplane.platform.web.ProblemType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Users of tenants (managed by tenant-admins and ops-admins) and of the operator (managed by
 * ops-admins). Nobody can remove or demote the last admin of a tenant or of the installation.
 */
@Service
class UserService {

    private final UserStore users;
    private final TenantService tenants;
    private final AuditTrail audit;
    private final PasswordEncoder passwords;
    private final IdGenerator ids;
    private final Clock clock;

    UserService(UserStore users, TenantService tenants, AuditTrail audit, PasswordEncoder passwords, IdGenerator ids,
                Clock clock) {
        this.users = users;
        this.tenants = tenants;
        this.audit = audit;
        this.passwords = passwords;
        this.ids = ids;
        this.clock = clock;
    }

    @Transactional
    UserView createTenantUser(Caller caller, String requestedTenant, UserRequests.Create request) {
        String tenantId = caller.scope(requestedTenant)
                .orElseThrow(() -> ApiProblem.malformed("tenant", "is required when an operator creates a tenant user"));
        caller.require(Capability.MANAGE_USERS);
        tenants.find(tenantId);
        if (request.role().isOps()) {
            throw ApiProblem.invalid("role", "must be tenant-admin, tenant-member or tenant-viewer");
        }
        return insert(caller, tenantId, request);
    }

    @Transactional
    UserView createOpsUser(Caller caller, UserRequests.Create request) {
        caller.require(Capability.WRITE_OPS);
        if (!request.role().isOps()) {
            throw ApiProblem.invalid("role", "must be ops-admin or ops-viewer");
        }
        return insert(caller, null, request);
    }

    Page<UserView> listTenantUsers(Caller caller, String requestedTenant, PageRequest page) {
        caller.require(Capability.READ_TENANT);
        String tenantId = caller.scope(requestedTenant).orElse(null);
        return Page.of(users.listTenantUsers(tenantId, page), page, User::id).map(User::view);
    }

    Page<UserView> listOpsUsers(Caller caller, PageRequest page) {
        caller.require(Capability.READ_OPS);
        return Page.of(users.listOpsUsers(page), page, User::id).map(User::view);
    }

    UserView get(Caller caller, String id) {
        User user = visible(caller, id);
        if (!caller.userId().equals(id)) {
            caller.require(Capability.READ_TENANT);
        }
        return user.view();
    }

    @Transactional
    UserView update(Caller caller, String id, UserRequests.Update request) {
        User user = visible(caller, id);
        boolean self = caller.userId().equals(id);
        if (request.role() != null && request.role() != user.role()) {
            requireManager(caller, user);
            if (request.role().isOps() != user.role().isOps()) {
                throw ApiProblem.invalid("role", user.role().isOps()
                        ? "an operator's role must be ops-admin or ops-viewer"
                        : "a tenant user's role must be tenant-admin, tenant-member or tenant-viewer");
            }
            guardLastAdmin(user, "demote");
        } else if (!self) {
            requireManager(caller, user);
        }
        User updated = new User(user.id(), user.tenantId(), user.email(),
                request.name() == null ? user.name() : request.name().strip(),
                request.role() == null ? user.role() : request.role(),
                request.password() == null ? user.passwordHash() : passwords.encode(request.password()),
                user.createdAt(), clock.instant());
        users.update(updated);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("role", updated.role().wireName());
        details.put("passwordChanged", request.password() != null);
        audit.succeeded(caller, user.tenantId(), "user.update", id, details);
        return updated.view();
    }

    @Transactional
    void delete(Caller caller, String id) {
        User user = visible(caller, id);
        requireManager(caller, user);
        guardLastAdmin(user, "delete");
        users.delete(id);
        audit.succeeded(caller, user.tenantId(), "user.delete", id, Map.of("email", user.email()));
    }

    /** The user, if the caller may see it; a foreign or malformed id is 404 like a missing one. */
    User visible(Caller caller, String id) {
        if (!Base32.isId(User.ID_PREFIX, id)) {
            throw ApiProblem.notFound("user", id);
        }
        return users.find(id)
                .filter(user -> caller.sees(user.tenantId()) && (caller.isOps() || user.tenantId() != null))
                .orElseThrow(() -> ApiProblem.notFound("user", id));
    }

    /** Whether {@code caller} may manage {@code user}: its tokens, name, role and existence. */
    static void requireManager(Caller caller, User user) {
        caller.require(user.tenantId() == null ? Capability.WRITE_OPS : Capability.MANAGE_USERS);
    }

    private UserView insert(Caller caller, String tenantId, UserRequests.Create request) {
        Instant now = clock.instant();
        User user = new User(ids.next(User.ID_PREFIX), tenantId, request.email().strip(), request.name().strip(),
                request.role(), request.password() == null ? null : passwords.encode(request.password()), now, now);
        if (!users.insert(user)) {
            throw new ApiProblem(ProblemType.CONFLICT, "a user with email " + request.email() + " already exists",
                    List.of(new FieldError("email", "is already in use")));
        }
        audit.succeeded(caller, tenantId, "user.create", user.id(), Map.of("email", user.email(), "role", user.role().wireName()));
        return user.view();
    }

    private void guardLastAdmin(User user, String verb) {
        Role adminRole = user.tenantId() == null ? Role.OPS_ADMIN : Role.TENANT_ADMIN;
        if (user.role() == adminRole && users.lockAndCountRole(user.tenantId(), adminRole) <= 1) {
            throw ApiProblem.conflict("cannot " + verb + " " + user.email() + ": it is the last " + adminRole.wireName()
                    + (user.tenantId() == null ? " of this installation" : " of its tenant"));
        }
    }
}
