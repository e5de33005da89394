package io.freehold.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.freehold.controlplane.platform.AuthorizationMatrix.Operation;
import io.freehold.controlplane.platform.MatrixRequests.Sent;
import io.freehold.controlplane.platform.SpecOperations.SpecOperation;
import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures.Principal;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * ARCHITECTURE §6 made executable: every cell of the hand-written {@code authz-matrix.yaml} is sent
 * to the real server and must get exactly the status the matrix names, allowed cases as well as
 * refusals. The matrix must cover every operation of the contract, and successful tenant mutations must
 * show up in the audit log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest extends ApiTest {


    private static final Map<Integer, String> REFUSALS = Map.of(401, "unauthenticated", 403, "forbidden", 404, "not-found");

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private final AuthorizationMatrix matrix = AuthorizationMatrix.load();
    private MatrixCallers callers;
    private MatrixRequests requests;

    @BeforeEach
    void callersOncePerClass() {
        if (callers == null) {
            fixtures.bootImage();
            callers = MatrixCallers.create(fixtures);
        }
        requests = new MatrixRequests(api, fixtures, callers);
    }

    @TestFactory
    Stream<DynamicContainer> everyCallerGetsExactlyTheStatusTheMatrixNames() {
        return matrix.operations().stream().map(operation -> DynamicContainer.dynamicContainer(
                operation.method() + " " + operation.path(),
                AuthorizationMatrix.CALLERS.stream().filter(operation.expect()::containsKey).map(caller -> {
                    int expected = operation.expected(caller);
                    String cell = operation.operationId() + " as " + caller + " → " + expected;
                    return DynamicTest.dynamicTest(cell, () -> assertStatus(cell, requests.send(operation, caller).response(), expected));
                })));
    }

    @Test
    void everyRowNamesAllSevenCallersAndAPlausibleRequest() {
        SoftAssertions softly = new SoftAssertions();
        assertThat(matrix.operations()).as("rows of %s", AuthorizationMatrix.RESOURCE).isNotEmpty();
        for (Operation operation : matrix.operations()) {
            String row = "row " + operation.operationId();
            softly.assertThat(operation.operationId()).as("operationId of a row for %s", operation.path()).isNotBlank();
            softly.assertThat(operation.expect().keySet()).as("callers of %s", row)
                    .containsExactlyInAnyOrderElementsOf(AuthorizationMatrix.CALLERS);
            softly.assertThat(operation.expect().values()).as("statuses of %s", row).allMatch(status -> status >= 200 && status <= 599);
            softly.assertThat(operation.method()).as("method of %s", row).isIn(METHODS);
            softly.assertThat(operation.path()).as("path of %s", row).startsWith("/api/v1/");
        }
        softly.assertAll();
    }

    @Test
    void everyOperationOfTheContractAppearsInTheMatrixExactlyOnce() {
        List<SpecOperation> specOperations = SpecOperations.parse(SpecOperations.text());
        assertThat(specOperations).as("operations under 'paths' of %s", SpecOperations.RESOURCE).isNotEmpty();

        List<String> matrixIds = matrix.operations().stream().map(Operation::operationId).toList();
        assertThat(matrixIds).as("operationIds in the matrix").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(specOperations.stream().map(SpecOperation::operationId).toList());
        SoftAssertions softly = new SoftAssertions();
        for (SpecOperation specified : specOperations) {
            Operation row = matrix.operation(specified.operationId());
            softly.assertThat(row.method() + " " + withoutParameterNames(row.path()))
                    .as("method and path of %s", specified.operationId())
                    .isEqualTo(specified.method() + " " + withoutParameterNames(specified.path()));
        }
        softly.assertAll();
    }

    @Test
    void successfulMutationsOfTenantCallersShowUpInTheirAuditLog() {
        Sent created = sendExpectingSuccess("createUser", "tenant-admin");
        assertAudited(created, "user.create", created.response().text("id"), "tenant-admin");

        Sent revoked = sendExpectingSuccess("revokeMyToken", "tenant-member");
        assertAudited(revoked, "token.revoke", revoked.pathParameters().get("tokenId"), "tenant-member");
    }

    private Sent sendExpectingSuccess(String operationId, String caller) {
        Operation operation = matrix.operation(operationId);
        int expected = operation.expected(caller);
        assertThat(expected).as("the matrix lets %s call %s", caller, operationId).isBetween(200, 299);
        Sent sent = requests.send(operation, caller);
        sent.response().expect(expected);
        return sent;
    }

    /** The actor reads its own tenant's log, so this also shows the event is visible to the tenant. */
    private void assertAudited(Sent sent, String action, String target, String caller) {
        Principal actor = callers.principal(caller);
        JsonNode events = api.get("/api/v1/audit-events?action=" + action + "&target=" + target, actor.token())
                .expect(200).json().path("items");
        assertThat(events.valueStream()).as("%s events for %s", action, target).singleElement().satisfies(event -> {
            assertThat(event.path("actorId").asString()).isEqualTo(actor.userId());
            assertThat(event.path("actorRole").asString()).isEqualTo(caller);
            assertThat(event.path("tenantId").asString()).isEqualTo(callers.tenantA());
            assertThat(event.path("outcome").asString()).isEqualTo("succeeded");
            assertThat(event.path("requestId").asString()).isEqualTo(sent.response().header("X-Request-Id"));
        });
    }

    /**
     * Names the cell in every message: Maven's reports show dynamic tests by index, not by display name.
     * A refusal must also be the right kind of problem, not merely carry the right number.
     */
    private static void assertStatus(String cell, ApiResponse response, int expected) {
        assertThat(response.status()).as("%s: status of response with body %s", cell, response.body()).isEqualTo(expected);
        String refusal = REFUSALS.get(expected);
        if (refusal != null) {
            assertThat(response.header("Content-Type")).as("%s: content type", cell).startsWith("application/problem+json");
            assertThat(response.text("type")).as("%s: problem type", cell).isEqualTo("urn:freehold:problem:" + refusal);
        }
    }

    /** The spec may name path parameters differently; the matrix's binding rules use its own names. */
    private static String withoutParameterNames(String path) {
        return path.replaceAll("\\{[^}]*}", "{}");
    }
}
