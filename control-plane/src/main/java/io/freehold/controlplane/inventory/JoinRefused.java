package io.freehold.controlplane.inventory;

/** A join token was not accepted; the message says why, in words an operator can act on. Nothing was written. */
public class JoinRefused extends RuntimeException {

    public JoinRefused(String reason) {
        super(reason, null, false, false);
    }
}
