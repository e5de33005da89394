/**
 * The catalog of what tenants can order: flavors and images. Flavors are named, fixed shapes (vCPUs,
 * memory in MiB, root disk in GiB) that operators define under {@code /ops/flavors}. A flavor is {@code public} (every tenant
 * may use it) or {@code limited} (only tenants on its access list, its grants); a {@code disabled} flavor
 * is offered to nobody for new instances. Sizes never change once a flavor exists, since instances refer
 * to them. Other features ask {@link io.freehold.controlplane.catalog.Flavors} whether a tenant may use a
 * flavor; nothing outside this package reads its tables.
 *
 * <p>And images: what instances boot, a {@code qcow2} disk or a {@code kernel+initrd} pair, each file a
 * <em>part</em> declared with its SHA-256 and uploaded separately into the images directory, where it is
 * stored once under that SHA-256. An image is {@code private} to a tenant or {@code public} (made by
 * operators), {@code uploading} until every part matched, then {@code active}. Other features ask
 * {@link io.freehold.controlplane.catalog.Images} for a usable image and a part's file, and tell the catalog
 * through {@link io.freehold.controlplane.catalog.ImageReferences} which images they use (docs/images.md).
 */
package io.freehold.controlplane.catalog;
