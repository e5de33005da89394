/**
 * The agent's Prometheus metrics and the HTTP endpoint that serves them ({@code /metrics}, default
 * {@code 127.0.0.1:9464}). Each agent owns its registry, so several agents can live in one test JVM.
 */
package io.freehold.agent.metrics;
