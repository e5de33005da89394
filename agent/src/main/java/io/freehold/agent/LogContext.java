package io.freehold.agent;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Puts the host id and incarnation on every log line, from every thread (gRPC's included), as logback context
 * properties: MDC would reach only the threads the agent owns.
 */
final class LogContext {

    private LogContext() {
    }

    /** Routes gRPC's java.util.logging output into the same key=value lines. */
    static void install() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    static void identify(String hostId, String incarnation) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            context.putProperty("host_id", hostId);
            context.putProperty("incarnation", incarnation);
        }
    }
}
