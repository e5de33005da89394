package io.freehold.agent.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The agent's metrics, named {@code freehold_agent_*}. The link reports events here; nothing reads them back except
 * the exporter and tests.
 */
public final class AgentMetrics {

    /** How a download of an image part ended ({@code outcome} label of {@code freehold_agent_image_fetches_total}). */
    public enum ImageFetch {
        /** Fetched from the first byte and verified. */
        OK,
        /** Verified after continuing a download that an earlier attempt had begun. */
        RESUMED,
        /** The bytes did not match the part's SHA-256 or size; nothing of them was kept. */
        CHECKSUM_MISMATCH,
        /** Not had now (no session, the stream broke, the control plane refused or the disk failed). */
        FAILED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge connected = Gauge.builder().name("freehold_agent_connected")
            .help("1 while a session with the control plane is established (Welcome received), else 0").register(registry);
    private final Counter heartbeats = Counter.builder().name("freehold_agent_heartbeats_sent")
            .help("Heartbeats sent to the control plane").register(registry);
    private final Counter reconnects = Counter.builder().name("freehold_agent_reconnects")
            .help("Connection attempts after the first one").register(registry);
    private final Counter renewals = Counter.builder().name("freehold_agent_certificate_renewals")
            .help("Client certificates renewed").register(registry);
    private final Histogram sessions = Histogram.builder().name("freehold_agent_session_duration_seconds").unit(Unit.SECONDS)
            .help("How long sessions lasted, from Welcome to the end of the stream")
            .classicUpperBounds(1, 10, 60, 300, 1800, 3600, 6 * 3600, 24 * 3600, 7 * 24 * 3600).register(registry);
    private final Histogram welcomeLatency = Histogram.builder().name("freehold_agent_hello_welcome_latency_seconds")
            .unit(Unit.SECONDS).help("Time from sending Hello to receiving Welcome").register(registry);
    private final Gauge pendingReports = Gauge.builder().name("freehold_agent_guest_reports_pending")
            .help("Lifecycle reports kept on disk until the control plane acknowledges them").register(registry);
    private final Counter reportsSent = Counter.builder().name("freehold_agent_guest_reports_sent")
            .help("Lifecycle reports sent to the control plane, each resend counted").register(registry);
    private final Counter imageBytes = Counter.builder().name("freehold_agent_image_fetched_bytes").unit(Unit.BYTES)
            .help("Bytes of image parts received from the control plane and written to the image cache").register(registry);
    private final Counter imageFetches = Counter.builder().name("freehold_agent_image_fetches")
            .help("Downloads of image parts by outcome").labelNames("outcome").register(registry);
    private final Gauge certificateExpiry = Gauge.builder().name("freehold_agent_certificate_expiry_timestamp_seconds")
            .unit(Unit.SECONDS).help("When the client certificate in use expires, in Unix seconds").register(registry);

    public AgentMetrics() {
        // Every outcome is exported from the start, so a rate over it is defined before the first failure.
        for (ImageFetch outcome : ImageFetch.values()) {
            imageFetches.labelValues(outcome.label());
        }
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public void connected(boolean established) {
        connected.set(established ? 1 : 0);
    }

    public void heartbeatSent() {
        heartbeats.inc();
    }

    public void reconnecting() {
        reconnects.inc();
    }

    public void certificateRenewed(Instant notAfter) {
        renewals.inc();
        certificateInUse(notAfter);
    }

    public void certificateInUse(Instant notAfter) {
        certificateExpiry.set(notAfter.getEpochSecond());
    }

    public void pendingReports(int count) {
        pendingReports.set(count);
    }

    public void reportSent() {
        reportsSent.inc();
    }

    public void imageBytesFetched(long bytes) {
        imageBytes.inc(bytes);
    }

    public void imageFetched(ImageFetch outcome) {
        imageFetches.labelValues(outcome.label()).inc();
    }

    public void sessionEnded(Duration length) {
        sessions.observe(length.toNanos() / 1e9);
    }

    public void welcomed(Duration latency) {
        welcomeLatency.observe(latency.toNanos() / 1e9);
    }
}
