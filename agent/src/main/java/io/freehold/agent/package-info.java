/**
 * The Freehold host agent: a plain Java daemon with two commands, {@code join} (trade a one-time token for a host
 * identity) and {@code run} (hold the session with the control plane). This package wires the pieces; the work is
 * in {@code config}, {@code identity}, {@code facts}, {@code link}, {@code metrics} and {@code guest}.
 */
package io.freehold.agent;
