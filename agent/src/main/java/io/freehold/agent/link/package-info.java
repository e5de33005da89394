/**
 * The agent's link to the control plane: {@code Join} over TLS pinned to the token's CA hash, then the long-lived
 * {@code Connect} stream over mutual TLS with Hello, Welcome, heartbeats and certificate renewal, re-established with
 * jittered exponential backoff across the known addresses. Timing rules (backoff, renewal) are pure functions in
 * {@link io.freehold.agent.link.Backoff} and {@link io.freehold.agent.link.RenewalTiming}.
 */
package io.freehold.agent.link;
