/**
 * Guests as libvirt sees them. A {@link io.freehold.agent.guest.GuestSpec} says what one guest should look like and
 * {@link io.freehold.agent.guest.DomainXml} turns it into domain XML; both are pure (values in, text out), so the same
 * spec always gives the same XML, domain UUID and MAC address, and the golden files in the tests are the shape of
 * record. {@link io.freehold.agent.guest.Guests} is the one place that acts: it makes a host's libvirt domains and
 * their disks match specs (put, delete, list), idempotently, and reports what went wrong as a
 * {@link io.freehold.agent.guest.GuestFailure} with a stable code. "Ours" means a domain carrying Freehold's metadata;
 * a domain named like an instance without it is foreign and never touched.
 */
package io.freehold.agent.guest;
