/**
 * Guests as libvirt sees them: a {@link io.freehold.agent.guest.GuestSpec} says what one guest should look like, and
 * {@link io.freehold.agent.guest.DomainXml} turns it into the domain XML to define. Everything here is pure (values
 * in, text out, no libvirt calls), so the same spec always gives the same XML, domain UUID and MAC address: a
 * re-applied command redefines a domain identically, and the golden files in the tests are the shape of record.
 */
package io.freehold.agent.guest;
