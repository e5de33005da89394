package io.freehold.controlplane.testing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Creates tenants, users and tokens through the API, with names unique within the test JVM. */
public final class Fixtures {

    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private final ApiClient api;
    private final String adminToken;

    /** The public image {@link #bootImage()} makes. */
    public static final String BOOT_IMAGE = "debian-12";

    public Fixtures(ApiClient api, String adminToken) {
        this.api = api;
        this.adminToken = adminToken;
    }

    public String adminToken() {
        return adminToken;
    }

    public static String unique(String stem) {
        return stem + "-" + SEQUENCE.incrementAndGet();
    }

    /** A new active tenant; returns its id. */
    public String tenant() {
        String slug = unique("tenant");
        return api.post("/api/v1/ops/tenants", adminToken, Map.of("name", "Tenant " + slug, "slug", slug))
                .expect(201).text("id");
    }

    /** A new user of {@code tenantId} with {@code role}, created by the bootstrap operator; returns its id. */
    public String user(String tenantId, String role) {
        String email = unique(role) + "@example.test";
        return api.post("/api/v1/users?tenant=" + tenantId, adminToken,
                        Map.of("email", email, "name", "User " + email, "role", role))
                .expect(201).text("id");
    }

    /** A new operator with {@code role}; returns its id. */
    public String opsUser(String role) {
        String email = unique(role) + "@ops.example.test";
        return api.post("/api/v1/ops/users", adminToken, Map.of("email", email, "name", "Operator " + email, "role", role))
                .expect(201).text("id");
    }

    /** A fresh API token of {@code userId}, minted by the bootstrap operator; returns the secret. */
    public String token(String userId) {
        return api.post("/api/v1/users/" + userId + "/tokens", adminToken, Map.of("name", unique("token")))
                .expect(201).text("token");
    }

    /** A user with {@code role} in {@code tenantId} and a token for it. */
    public Principal principal(String tenantId, String role) {
        String userId = tenantId == null ? opsUser(role) : user(tenantId, role);
        return new Principal(userId, token(userId));
    }

    /** A new site in time zone UTC; returns its id. */
    public String site() {
        return api.post("/api/v1/ops/sites", adminToken, Map.of("name", unique("site"), "timezone", "UTC")).expect(201).text("id");
    }

    /** A new location of kind room in {@code siteId}; returns its id. */
    public String location(String siteId) {
        return api.post("/api/v1/ops/sites/" + siteId + "/locations", adminToken, Map.of("name", unique("room"), "kind", "room"))
                .expect(201).text("id");
    }

    /** A new 42U bottom-up rack in a new site; returns its id. */
    public String rack() {
        return api.post("/api/v1/ops/racks", adminToken, Map.of("siteId", site(), "name", unique("rack"))).expect(201).text("id");
    }

    /** A new 1U host slot at {@code positionU} of {@code rackId}, in state REGISTERED; returns its id. */
    public String host(String rackId, int positionU) {
        return api.post("/api/v1/ops/hosts", adminToken, Map.of("rackId", rackId, "positionU", positionU, "hostname", unique("hv")))
                .expect(201).text("id");
    }

    /** A new unused join token bound to no slot; returns its id. */
    public String joinToken() {
        return api.post("/api/v1/ops/join-tokens", adminToken, Map.of()).expect(201).text("id");
    }

    /** A new, empty anti-affinity-host placement group of the tenant; returns its id. */
    public String placementGroup(String tenantId) {
        return api.post("/api/v1/placement-groups?tenant=" + tenantId, adminToken,
                Map.of("name", unique("group"), "policy", "anti-affinity-host")).expect(201).text("id");
    }

    /** A new enabled public flavor with 1 vCPU, 1 GiB of memory and a 10 GiB root disk; returns its id. */
    public String flavor() {
        return api.post("/api/v1/ops/flavors", adminToken, Map.of("name", unique("flavor"), "vcpus", 1, "memoryMib", 1024, "rootDiskGib", 10))
                .expect(201).text("id");
    }

    /** A new enabled flavor like {@link #flavor()}, but limited and granted to {@code tenantId} alone; returns its id. */
    /** A new price list in EUR, not the default, without versions; returns its id. */
    public String priceList() {
        return api.post("/api/v1/ops/price-lists", adminToken, Map.of("name", unique("prices"), "currency", "EUR")).expect(201).text("id");
    }

    /** Puts {@code tenantId} on a new EUR price list in force from the current hour (pricing vCPUs only); returns the list's id. */
    public String pricesInForce(String tenantId) {
        String list = priceList();
        api.post("/api/v1/ops/price-lists/" + list + "/versions", adminToken, Map.of("effectiveFrom",
                Instant.now().truncatedTo(ChronoUnit.HOURS).toString(), "taxRate", "0.19",
                "unitPrices", Map.of("vcpu.seconds", "0.00001"))).expect(201);
        api.put("/api/v1/ops/tenants/" + tenantId + "/pricing", adminToken, Map.of("priceListId", list)).expect(200);
        return list;
    }

    /** A new flavor limited to {@code tenantId}, which is put on {@link #pricesInForce new prices}; returns the flavor's id. */
    public String pricedFlavor(String tenantId) {
        pricesInForce(tenantId);
        return limitedFlavor(tenantId);
    }

    public String limitedFlavor(String tenantId) {
        String id = api.post("/api/v1/ops/flavors", adminToken, Map.of("name", unique("flavor"), "vcpus", 1, "memoryMib", 1024,
                "rootDiskGib", 10, "visibility", "limited")).expect(201).text("id");
        api.put("/api/v1/ops/flavors/" + id + "/tenants/" + tenantId, adminToken, null).expect(200);
        return id;
    }

    /**
     * A new enabled flavor limited to {@code tenantId} and larger than the default quota allows (1024 vCPUs),
     * so that instances on it stay PENDING whatever hosts exist; returns its id.
     */
    public String unplaceableFlavor(String tenantId) {
        String id = api.post("/api/v1/ops/flavors", adminToken, Map.of("name", unique("flavor"), "vcpus", 1024, "memoryMib", 1024,
                "rootDiskGib", 10, "visibility", "limited")).expect(201).text("id");
        api.put("/api/v1/ops/flavors/" + id + "/tenants/" + tenantId, adminToken, null).expect(200);
        return id;
    }

    /** A new PENDING instance of {@code tenantId} on an {@link #unplaceableFlavor}, created by the bootstrap operator; returns its id. */
    public String unplaceableInstance(String tenantId) {
        return api.post("/api/v1/instances?tenant=" + tenantId, adminToken,
                Map.of("name", unique("vm"), "flavorId", unplaceableFlavor(tenantId), "imageRef", bootImage())).expect(202).text("id");
    }

    /**
     * The header of an empty 1 MiB qcow2 version 3 disk, padded to 512 bytes: enough for the control plane's
     * checks (magic, version, no backing file, no external data file), not a disk anything could boot.
     */
    public static byte[] tinyQcow2() {
        ByteBuffer header = ByteBuffer.allocate(512);
        header.putInt(0, 0x514649fb);     // "QFI\xfb"
        header.putInt(4, 3);              // version
        header.putLong(8, 0);             // no backing file
        header.putInt(20, 16);            // 64 KiB clusters
        header.putLong(24, 1L << 20);     // virtual size
        header.putInt(36, 1);             // L1 entries
        header.putLong(40, 3L << 16);     // L1 table offset
        header.putLong(48, 1L << 16);     // refcount table offset
        header.putInt(56, 1);             // refcount table clusters
        header.putLong(72, 0);            // no incompatible features
        header.putInt(96, 4);             // refcount order: 16-bit
        header.putInt(100, 104);          // header length
        return header.array();
    }

    /** The SHA-256 of {@code bytes} in lowercase hex, as images declare their parts. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The name of a public, active qcow2 image every tenant may create instances of ({@link #tinyQcow2()}): made once
     * per database by whichever test asks first, and waited for by the others.
     */
    public String bootImage() {
        String disk = sha256(tinyQcow2());
        ApiResponse created = api.post("/api/v1/ops/images", adminToken, Map.of("name", BOOT_IMAGE, "os", "linux", "architecture", "x86_64",
                "format", "qcow2", "parts", List.of(Map.of("role", "disk", "sha256", disk))));
        if (created.status() == 201) {
            api.send("PUT", "/api/v1/images/" + created.text("id") + "/parts/disk", adminToken, tinyQcow2(),
                    Map.of("Content-Type", "application/octet-stream")).expect(200);
            return BOOT_IMAGE;
        }
        created.expect(409);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            boolean active = api.get("/api/v1/images?name=" + BOOT_IMAGE, adminToken).expect(200).json().path("items").valueStream()
                    .anyMatch(image -> image.path("visibility").asString().equals("public") && image.path("status").asString().equals("active"));
            if (active) {
                return BOOT_IMAGE;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
        }
        throw new IllegalStateException("the public image " + BOOT_IMAGE + " did not become active");
    }

    /** A new private qcow2 image of {@code tenantId}, uploading, whose disk is {@link #tinyQcow2()}; returns its id. */
    public String uploadingImage(String tenantId) {
        return api.post("/api/v1/images?tenant=" + tenantId, adminToken, Map.of("name", unique("image"), "os", "linux",
                        "architecture", "x86_64", "format", "qcow2", "parts", List.of(Map.of("role", "disk", "sha256", sha256(tinyQcow2())))))
                .expect(201).text("id");
    }

    public record Principal(String userId, String token) {
    }
}
