/**
 * The host's identity on disk and in memory: its EC P-256 key, the client certificate the control plane signed, the
 * CA bundle it trusts and the control-plane addresses it learnt at join. The state directory is written only with
 * temp-file-and-rename steps, and a key and its certificate change together through one symlink swap, so a crash
 * never leaves a key beside a certificate for another key.
 */
package io.freehold.agent.identity;
