/**
 * The catalog of what tenants can order. So far flavors: named, fixed shapes (vCPUs, memory in MiB, root
 * disk in GiB) that operators define under {@code /ops/flavors}. A flavor is {@code public} (every tenant
 * may use it) or {@code limited} (only tenants on its access list, its grants); a {@code disabled} flavor
 * is offered to nobody for new instances. Sizes never change once a flavor exists, since instances refer
 * to them. Other features ask {@link io.freehold.controlplane.catalog.Flavors} whether a tenant may use a
 * flavor; nothing outside this package reads its tables.
 */
package io.freehold.controlplane.catalog;
