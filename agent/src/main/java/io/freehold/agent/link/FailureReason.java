package io.freehold.agent.link;

import java.security.cert.CertificateException;

import javax.net.ssl.SSLException;

import io.grpc.StatusRuntimeException;

/** Why a call or a session failed, as one log-friendly line. */
final class FailureReason {

    private FailureReason() {
    }

    /**
     * One line a person can act on: the gRPC status, and for TLS failures the certificate problem underneath
     * (gRPC's own description spans lines and names Netty's pipeline).
     */
    static String of(Throwable error) {
        if (error == null) {
            return "the control plane ended the stream";
        }
        String summary = error instanceof StatusRuntimeException status
                ? status.getStatus().getCode() + firstLine(status.getStatus().getDescription())
                : error.getClass().getSimpleName() + firstLine(error.getMessage());
        boolean tls = false;
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            tls |= root instanceof SSLException || root instanceof CertificateException;
        }
        if (root == error) {
            return summary;
        }
        return summary + " (" + (tls ? "TLS handshake failed: " : "") + firstLine(root.getMessage()).substring(2) + ")";
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return ": -";
        }
        int newline = text.indexOf('\n');
        return ": " + (newline < 0 ? text : text.substring(0, newline)).replace('"', '\'').trim();
    }
}
