/** The local agent's choices as pure functions. */
package io.freehold.controlplane.localagent.decision;
