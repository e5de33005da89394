package io.freehold.controlplane.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.controlplane.platform.web.ApiProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ARCHITECTURE §6 as a table: which role holds which capability. */
class RoleTest {

    @ParameterizedTest(name = "{0}: read-tenant={1} write-tenant={2} manage-users={3} manage-billing={4} read-ops={5} write-ops={6}")
    @CsvSource({
            "ops-admin,     true,  true,  true,  true,  true,  true",
            "ops-viewer,    true,  false, false, false, true,  false",
            "tenant-admin,  true,  true,  true,  true,  false, false",
            "tenant-member, true,  true,  false, false, false, false",
            "tenant-viewer, true,  false, false, false, false, false"})
    void capabilitiesPerRole(String wireName, boolean readTenant, boolean writeTenant, boolean manageUsers, boolean manageBilling,
                             boolean readOps, boolean writeOps) {
        Role role = Role.fromWireName(wireName);
        assertThat(role.can(Capability.READ_TENANT)).isEqualTo(readTenant);
        assertThat(role.can(Capability.WRITE_TENANT)).isEqualTo(writeTenant);
        assertThat(role.can(Capability.MANAGE_USERS)).isEqualTo(manageUsers);
        assertThat(role.can(Capability.MANAGE_BILLING)).isEqualTo(manageBilling);
        assertThat(role.can(Capability.READ_OPS)).isEqualTo(readOps);
        assertThat(role.can(Capability.WRITE_OPS)).isEqualTo(writeOps);
        assertThat(role.isOps()).isEqualTo(wireName.startsWith("ops-"));
        assertThat(role.wireName()).isEqualTo(wireName);
    }

    @Test
    void aTenantCallerAlwaysActsInItsOwnTenantAndAForeignOneLooksAbsent() {
        Caller caller = new Caller("u-1", Role.TENANT_MEMBER, "t-a", "tok-1");
        assertThat(caller.scope(null)).contains("t-a");
        assertThat(caller.scope("t-a")).contains("t-a");
        assertThatThrownBy(() -> caller.scope("t-b")).isInstanceOf(ApiProblem.class).hasMessageContaining("no tenant");
        assertThat(caller.sees("t-a")).isTrue();
        assertThat(caller.sees("t-b")).isFalse();
        assertThat(caller.sees(null)).isFalse();
    }

    @Test
    void anOperatorActsInTheTenantItNamesOrAcrossAll() {
        Caller operator = new Caller("u-2", Role.OPS_VIEWER, null, "tok-2");
        assertThat(operator.scope(null)).isEmpty();
        assertThat(operator.scope("t-b")).contains("t-b");
        assertThat(operator.sees("t-b")).isTrue();
        assertThatThrownBy(() -> operator.require(Capability.WRITE_OPS)).isInstanceOf(ApiProblem.class)
                .hasMessageContaining("ops-viewer");
    }
}
