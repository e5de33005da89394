/**
 * Pages for people: until the tenant portal and ops console exist, a start page that says where the
 * API, its contract and the bootstrap admin token are.
 */
package io.freehold.controlplane.portal;
