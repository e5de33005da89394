/**
 * The agent link: the only gRPC code. It runs the installation's certificate authority, the mTLS
 * endpoint agents dial (Join for a certificate, Connect for the session, FetchImage for the image parts
 * their commands reference), agent sessions with their replica leases, the command log (with console
 * reads, whose answers it keeps for whichever replica waits), and hands what agents report to the features through their facades. It is a
 * transport: it decides nothing about hosts itself; {@link io.freehold.controlplane.inventory.HostRegistry} does.
 * Vocabulary: a <em>replica</em> is one control-plane process; a <em>stream</em> (connection id) is one
 * Connect call; a host's <em>session</em> is the row naming the replica and stream that hold it, with a
 * <em>lease</em> its heartbeats extend. The protocol is described in {@code docs/agent-protocol.md}.
 */
package io.freehold.controlplane.agentlink;
