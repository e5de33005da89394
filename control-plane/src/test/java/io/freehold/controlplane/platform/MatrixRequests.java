package io.freehold.controlplane.platform;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.freehold.controlplane.platform.AuthorizationMatrix.Operation;
import io.freehold.controlplane.testing.ApiClient;
import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.Fixtures;

/**
 * Turns one cell of the matrix into a real request. Every request gets objects of its own (a fresh
 * victim user, token, site, location, rack, host slot, join token, flavor, image or instance, a fresh unique name), made by the
 * bootstrap operator, so that a cell that deletes or revokes something cannot change the outcome of another.
 */
final class MatrixRequests {

    /**
     * A request that was sent.
     *
     * @param pathParameters the values bound to the path's parameters, by name
     */
    record Sent(ApiResponse response, Map<String, String> pathParameters) {
    }

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{(\\w+)}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");

    private final ApiClient api;
    private final Fixtures fixtures;
    private final MatrixCallers callers;

    MatrixRequests(ApiClient api, Fixtures fixtures, MatrixCallers callers) {
        this.api = api;
        this.fixtures = fixtures;
        this.callers = callers;
    }

    Sent send(Operation operation, String caller) {
        Map<String, String> parameters = bind(operation.path(), caller);
        Map<String, String> placeholders = new HashMap<>();
        Function<String, String> placeholder = name -> placeholders.computeIfAbsent(name, key -> placeholder(key, parameters));
        String path = replace(PATH_PARAMETER, operation.path(), parameters::get);
        if (operation.query() != null) {
            path += "?" + replace(PLACEHOLDER, operation.query(), placeholder);
        }
        if (operation.upload() != null) {
            return new Sent(api.send(operation.method(), path, callers.token(caller), upload(operation.upload()),
                    Map.of("Content-Type", "application/octet-stream")), parameters);
        }
        Object body = operation.body() == null ? null : fill(operation.body(), placeholder);
        ApiResponse response = api.send(operation.method(), path, callers.token(caller), body, Map.of());
        return new Sent(response, parameters);
    }

    /** The binding rules of the matrix's header; parameters are bound left to right. */
    private Map<String, String> bind(String path, String caller) {
        Map<String, String> values = new LinkedHashMap<>();
        Matcher matcher = PATH_PARAMETER.matcher(path);
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = switch (name) {
                case "tenantId" -> callers.tenantA();
                case "userId" -> fixtures.user(callers.tenantA(), "tenant-member");
                case "tokenId" -> values.containsKey("userId") ? newTokenId(values.get("userId")) : newOwnTokenId(caller);
                case "siteId" -> fixtures.site();
                case "locationId" -> fixtures.location(values.get("siteId"));
                case "rackId" -> fixtures.rack();
                case "hostId" -> fixtures.host(fixtures.rack(), 1);
                case "joinTokenId" -> fixtures.joinToken();
                case "groupId" -> fixtures.placementGroup(callers.tenantA());
                case "flavorId" -> fixtures.limitedFlavor(callers.tenantA());
                case "instanceId" -> fixtures.unplaceableInstance(callers.tenantA());
                case "imageId" -> fixtures.uploadingImage(callers.tenantA());
                case "role" -> "disk";
                case "priceListId" -> fixtures.priceList();
                case "month" -> YearMonth.now(ZoneOffset.UTC).toString();
                default -> throw new IllegalStateException("the matrix has no binding rule for {" + name + "} in " + path);
            };
            values.put(name, value);
        }
        return values;
    }

    /** The values body and query templates may name; each is made once per request, when first named. */
    private String placeholder(String name, Map<String, String> pathParameters) {
        return switch (name) {
            case "unique" -> Fixtures.unique("authz");
            case "tenantA" -> callers.tenantA();
            case "siteId" -> fixtures.site();
            case "rackId" -> fixtures.rack();
            case "unplaceableFlavorId" -> fixtures.unplaceableFlavor(callers.tenantA());
            case "priceListId" -> fixtures.priceList();
            case "pricedFlavorId" -> fixtures.pricedFlavor(callers.tenantA());
            case "instanceFlavorId" -> api.get("/api/v1/instances/" + pathParameters.get("instanceId"), fixtures.adminToken()).expect(200)
                    .json().path("spec").path("flavorId").asString();
            default -> null;
        };
    }

    /** The files an {@code upload} may name. */
    private static byte[] upload(String name) {
        if (name.equals("imageDisk")) {
            return Fixtures.tinyQcow2();
        }
        throw new IllegalStateException("the matrix has no upload named " + name);
    }

    private String newTokenId(String userId) {
        return api.post("/api/v1/users/" + userId + "/tokens", fixtures.adminToken(), Map.of("name", Fixtures.unique("victim-token")))
                .expect(201).text("id");
    }

    /** Anonymous has no tokens of its own; any real token's id serves, since it is refused before the lookup. */
    private String newOwnTokenId(String caller) {
        String token = MatrixCallers.ANONYMOUS.equals(caller) ? fixtures.adminToken() : callers.token(caller);
        return api.post("/api/v1/me/tokens", token, Map.of("name", Fixtures.unique("own-token"))).expect(201).text("id");
    }

    private static Object fill(Object template, Function<String, String> placeholders) {
        if (template instanceof String text) {
            return replace(PLACEHOLDER, text, placeholders);
        }
        if (template instanceof Map<?, ?> map) {
            Map<Object, Object> filled = new LinkedHashMap<>();
            map.forEach((key, value) -> filled.put(key, fill(value, placeholders)));
            return filled;
        }
        if (template instanceof List<?> list) {
            return list.stream().map(value -> fill(value, placeholders)).toList();
        }
        return template;
    }

    private static String replace(Pattern pattern, String template, Function<String, String> values) {
        return pattern.matcher(template).replaceAll(match -> {
            String value = values.apply(match.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for " + match.group() + " in " + template);
            }
            return Matcher.quoteReplacement(value);
        });
    }
}
