package io.freehold.controlplane.catalog;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Images and their parts. An image is always read with its parts. */
@Repository
class ImageStore {

    private static final String COLUMNS = "i.id, i.tenant_id, i.name, i.os, i.architecture, i.format, i.kernel_cmdline, i.status, "
            + "i.size_bytes, i.failure_reason, i.created_at, i.updated_at";

    /** What a tenant may see: its own images and the public ones. */
    private static final String VISIBLE_TO_TENANT = " (i.tenant_id = :tenant or i.tenant_id is null) ";

    private final JdbcClient jdbc;

    ImageStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the image and its parts. @return false when its owner already has an image of that name */
    boolean insert(Image image) {
        int inserted = jdbc.sql("""
                        insert into image (id, tenant_id, name, os, architecture, format, kernel_cmdline, status, size_bytes,
                                           failure_reason, created_at, updated_at)
                        values (:id, :tenant, :name, :os, :architecture, :format, :cmdline, :status, :size, :reason, :createdAt, :updatedAt)
                        on conflict on constraint image_owner_name do nothing
                        """)
                .param("id", image.id())
                .param("tenant", image.tenantId())
                .param("name", image.name())
                .param("os", image.os())
                .param("architecture", image.architecture())
                .param("format", image.format().wireName())
                .param("cmdline", image.kernelCmdline())
                .param("status", image.status().wireName())
                .param("size", image.sizeBytes())
                .param("reason", image.failureReason())
                .param("createdAt", utc(image.createdAt()))
                .param("updatedAt", utc(image.updatedAt()))
                .update();
        if (inserted == 0) {
            return false;
        }
        for (ImagePart part : image.parts()) {
            jdbc.sql("insert into image_part (image_id, format, role, sha256) values (:image, :format, :role, :sha256)")
                    .param("image", image.id())
                    .param("format", image.format().wireName())
                    .param("role", part.role().wireName())
                    .param("sha256", part.sha256())
                    .update();
        }
        return true;
    }

    Optional<Image> find(String id) {
        return withParts(jdbc.sql("select " + COLUMNS + " from image i where i.id = :id").param("id", id).query(ImageStore::map).list())
                .stream().findFirst();
    }

    /** Reads and locks the image for an upload's finish or a delete; see {@link #holdUsableBy} for the other side. */
    Optional<Image> lock(String id) {
        return withParts(jdbc.sql("select " + COLUMNS + " from image i where i.id = :id for update").param("id", id)
                .query(ImageStore::map).list()).stream().findFirst();
    }

    /**
     * A page of images by id: those {@code tenantId} may see (its own and the public ones), or every image when
     * {@code tenantId} is null (operators looking across tenants).
     */
    List<Image> list(String tenantId, String name, ImageStatus status, PageRequest page) {
        return withParts(jdbc.sql("select " + COLUMNS + """
                         from image i
                        where (cast(:tenant as text) is null or i.tenant_id = :tenant or i.tenant_id is null)
                          and (cast(:name as text) is null or i.name = :name)
                          and (cast(:status as text) is null or i.status = :status)
                          and (cast(:after as text) is null or i.id > :after)
                        order by i.id
                        limit :limit
                        """)
                .param("tenant", tenantId)
                .param("name", name)
                .param("status", status == null ? null : status.wireName())
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query(ImageStore::map)
                .list());
    }

    /**
     * The active image {@code tenantId} may use, by id or by name, taken {@code for share} when {@code hold}:
     * a delete's {@link #lock} then waits for the caller's commit and sees its reference. By name, the tenant's
     * own image comes before a public one of the same name.
     */
    Optional<Image> findUsableBy(String tenantId, String idOrName, boolean byId, boolean hold) {
        String sql = "select " + COLUMNS + " from image i where i.status = 'active' and" + VISIBLE_TO_TENANT
                + (byId ? "and i.id = :ref" : "and i.name = :ref")
                // nulls last: a tenant's own image of that name wins over the public one.
                + " order by i.tenant_id nulls last limit 1"
                + (hold ? " for share of i" : "");
        return withParts(jdbc.sql(sql).param("tenant", tenantId).param("ref", idOrName).query(ImageStore::map).list()).stream().findFirst();
    }

    /** Records that the part's upload matched; call with the image locked. */
    void markUploaded(String imageId, PartRole role, long sizeBytes, Instant now) {
        jdbc.sql("update image_part set size_bytes = :size, uploaded_at = :now where image_id = :image and role = :role")
                .param("size", sizeBytes)
                .param("now", utc(now))
                .param("image", imageId)
                .param("role", role.wireName())
                .update();
    }

    /** Moves the image to {@code active} or {@code failed}; call with the image locked. */
    void setStatus(String imageId, ImageStatus status, Long sizeBytes, String failureReason, Instant now) {
        jdbc.sql("update image set status = :status, size_bytes = :size, failure_reason = :reason, updated_at = :now where id = :id")
                .param("status", status.wireName())
                .param("size", sizeBytes)
                .param("reason", failureReason)
                .param("now", utc(now))
                .param("id", imageId)
                .update();
    }

    /** Deletes the image and, by cascade, its parts. Call after {@link #lock}. */
    void delete(String id) {
        jdbc.sql("delete from image where id = :id").param("id", id).update();
    }

    /**
     * Serialises everything that puts a file named {@code sha256} in the images directory or takes it away,
     * across replicas, until the transaction ends.
     */
    void lockFile(String sha256) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended('freehold-image-file:' || :sha256, 0))")
                .param("sha256", sha256).query().singleRow();
    }

    /** Whether any image's part, uploaded or still expected, names the file. */
    boolean anyPartNames(String sha256) {
        return jdbc.sql("select exists (select 1 from image_part where sha256 = :sha256)").param("sha256", sha256)
                .query(Boolean.class).single();
    }

    /** Attaches each image's parts with one query for the whole page. */
    private List<Image> withParts(List<Image> images) {
        if (images.isEmpty()) {
            return images;
        }
        Map<String, List<ImagePart>> parts = new LinkedHashMap<>();
        images.forEach(image -> parts.put(image.id(), new ArrayList<>()));
        jdbc.sql("select image_id, role, sha256, size_bytes, uploaded_at from image_part where image_id in (:ids)")
                .param("ids", List.copyOf(parts.keySet()))
                .query(rs -> {
                    parts.get(rs.getString("image_id")).add(new ImagePart(PartRole.valueOf(rs.getString("role").toUpperCase()),
                            rs.getString("sha256"), rs.getObject("size_bytes", Long.class), instant(rs, "uploaded_at")));
                });
        return images.stream().map(image -> new Image(image.id(), image.tenantId(), image.visibility(), image.name(), image.os(),
                image.architecture(), image.format(), image.kernelCmdline(), image.status(), image.sizeBytes(), image.failureReason(),
                parts.get(image.id()).stream().sorted(Comparator.comparing(ImagePart::role)).toList(), image.createdAt(),
                image.updatedAt())).toList();
    }

    private static Image map(ResultSet rs, int row) throws SQLException {
        String tenantId = rs.getString("tenant_id");
        return new Image(rs.getString("id"), tenantId, tenantId == null ? ImageVisibility.PUBLIC : ImageVisibility.PRIVATE,
                rs.getString("name"), rs.getString("os"), rs.getString("architecture"), ImageFormat.fromWireName(rs.getString("format")),
                rs.getString("kernel_cmdline"), ImageStatus.fromWireName(rs.getString("status")), rs.getObject("size_bytes", Long.class),
                rs.getString("failure_reason"), List.of(), instant(rs, "created_at"), instant(rs, "updated_at"));
    }
}
