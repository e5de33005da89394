package io.freehold.controlplane.platform;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/**
 * The hand-written {@code api-spec/authz-matrix.yaml} as tests read it: one {@link Operation} per REST
 * operation with the status each caller must get. Loading checks nothing, so that the completeness
 * test can report every gap at once instead of failing on the first.
 */
record AuthorizationMatrix(List<Operation> operations) {

    static final String RESOURCE = "freehold/api/authz-matrix.yaml";

    /** The columns of the matrix, in the order the header of the YAML explains them. */
    static final List<String> CALLERS = List.of(
            "anonymous", "ops-admin", "ops-viewer", "tenant-admin", "tenant-member", "tenant-viewer", "foreign-tenant");

    /**
     * One row.
     *
     * @param query query-string template without the {@code ?}, or null
     * @param body JSON body template, or null for none
     * @param upload the file to send as an {@code application/octet-stream} body instead (see the YAML's header), or null
     * @param expect the HTTP status per caller
     */
    record Operation(String operationId, String method, String path, String query, Map<String, Object> body, String upload,
                     Map<String, Integer> expect) {

        int expected(String caller) {
            Integer status = expect.get(caller);
            if (status == null) {
                throw new IllegalArgumentException(operationId + " has no status for " + caller);
            }
            return status;
        }
    }

    static AuthorizationMatrix load() {
        try (InputStream in = AuthorizationMatrix.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath; is the api-spec module built?");
            }
            Map<String, Object> root = new Yaml().load(in);
            List<Map<String, Object>> rows = root == null ? List.of() : list(root.get("operations"));
            return new AuthorizationMatrix(rows.stream().map(AuthorizationMatrix::operation).toList());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    Operation operation(String operationId) {
        return operations.stream()
                .filter(operation -> operation.operationId().equals(operationId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the matrix has no operation " + operationId));
    }

    private static Operation operation(Map<String, Object> row) {
        Map<String, Integer> expect = new LinkedHashMap<>();
        Map<String, Object> statuses = map(row.get("expect"));
        statuses.forEach((caller, status) -> expect.put(caller, Integer.valueOf(String.valueOf(status))));
        return new Operation((String) row.get("operationId"), (String) row.get("method"), (String) row.get("path"),
                (String) row.get("query"), row.get("body") == null ? null : map(row.get("body")), (String) row.get("upload"), expect);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }
}
