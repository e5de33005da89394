/**
 * Billing's pure core: rating. Usage in published units, a tenant's price book and its credits in; an invoice's lines,
 * taxes and totals out, every amount rounded once, per line, to the currency's minor unit, half-even. Nothing here
 * reads a clock, a database or the network: the period and every instant are arguments.
 */
package io.freehold.controlplane.billing.decision;
