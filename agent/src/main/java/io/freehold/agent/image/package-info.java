/**
 * The image cache: the image parts (qcow2 base images, kernels, initrds) the host's guests boot from, each held in one
 * file named by its SHA-256 under {@code <guest storage>/images/}, fetched from the control plane with the resumable
 * {@code FetchImage} call over the session's mutual-TLS connection, and never used unless its bytes match that SHA-256.
 */
package io.freehold.agent.image;
