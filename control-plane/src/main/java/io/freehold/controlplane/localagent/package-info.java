/**
 * The local agent of all-in-one mode (ARCHITECTURE §1): with the embedded database, the control plane
 * runs the real agent jar as a child process for the machine it is on. The child joins once through the
 * agent endpoint with a token for the all-in-one slot in rack {@code local-r1}, exactly as any server
 * joins, then runs under supervision: restarted when it dies, stopped with the control plane, and killed
 * at the next start when a killed control plane left it behind.
 */
package io.freehold.controlplane.localagent;
