/**
 * Guests as libvirt sees them. A {@link io.freehold.agent.guest.GuestSpec} says what one guest should look like and
 * {@link io.freehold.agent.guest.DomainXml} turns it into domain XML; both are pure (values in, text out), so the same
 * spec always gives the same XML, domain UUID and MAC address, and the golden files in the tests are the shape of
 * record. {@link io.freehold.agent.guest.Guests} is the one place that acts: it makes a host's libvirt domains and
 * their disks match specs (put, delete, list), idempotently, and reports what went wrong as a
 * {@link io.freehold.agent.guest.GuestFailure} with a stable code. "Ours" means a domain carrying Freehold's metadata;
 * a domain named like an instance without it is foreign and never touched. A guest boots from an image the agent's
 * cache holds ({@link io.freehold.agent.guest.ImageParts}): its root disk an overlay on a disk image, or a kernel booted
 * directly; its cloud-init seed is rendered by the pure {@link io.freehold.agent.guest.CloudInitSeedFiles} and
 * {@link io.freehold.agent.guest.SeedIso}.
 *
 * <p>The guest ledger tells the control plane what the guests do: the {@link io.freehold.agent.guest.GuestWatcher}
 * looks at them on the command runner's thread (an {@link io.freehold.agent.guest.Observation}), the pure
 * {@link io.freehold.agent.guest.LifecycleDiff} and {@link io.freehold.agent.guest.RunningTime} turn two looks into
 * lifecycle facts and running time, and the {@link io.freehold.agent.guest.GuestLedger} keeps both, with the reports
 * not yet acknowledged, on disk. A guest is "running" while its domain is active (paused included).
 */
package io.freehold.agent.guest;
