/**
 * The agent link: the only gRPC code. It runs the installation's certificate authority, the mTLS
 * endpoint agents dial (Join for a certificate, Connect for the session), agent sessions with their
 * replica leases, and hands what agents report to the features through their facades. It is a
 * transport: it decides nothing about hosts itself.
 */
package io.freehold.controlplane.agentlink;
