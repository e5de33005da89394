package io.freehold.controlplane.metering.decision;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

import io.freehold.controlplane.metering.FactTime;
import io.freehold.controlplane.metering.LifecycleEventKind;
import io.freehold.controlplane.metering.LifecycleFact.Shape;

/**
 * One entry of an instance's lifecycle log, as the {@link UsageIntegrator} reads it.
 *
 * @param key        the fact's identity in the log: two facts with the same key are one fact delivered twice
 * @param occurredAt control-plane time in whole seconds
 * @param shape      the sizes the observer saw; a zero size means the observer did not say
 */
public record MeteredFact(Key key, LifecycleEventKind event, Instant occurredAt, Shape shape) {

    public MeteredFact {
        Objects.requireNonNull(key);
        Objects.requireNonNull(event);
        Objects.requireNonNull(shape);
        if (!occurredAt.equals(FactTime.wholeSeconds(occurredAt))) {
            throw new IllegalArgumentException("a fact's time is in whole seconds, not " + occurredAt);
        }
        if (key.deletedByApi() && event != LifecycleEventKind.DELETED) {
            throw new IllegalArgumentException("the API records only deletes, not " + event);
        }
    }

    /**
     * The log's keys (V10): an agent's fact is (host, agent incarnation, report seq) — a re-joined agent's new
     * incarnation restarts its seq, and its facts are new facts; the API's delete is one per instance.
     *
     * @param hostId null for the API's delete
     */
    public record Key(String hostId, String incarnationId, long reportSeq) {

        private static final Key DELETED_BY_API = new Key(null, null, 0);

        /**
         * Same-second tie-break: an incarnation's facts in report order (the order the agent saw them); different
         * hosts or incarnations in a fixed order of their ids; the API's delete last.
         */
        static final Comparator<Key> ORDER = Comparator.comparing(Key::deletedByApi)
                .thenComparing(Key::hostId, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Key::incarnationId, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparingLong(Key::reportSeq);

        public Key {
            if ((hostId == null) != (incarnationId == null) || hostId != null && reportSeq <= 0) {
                throw new IllegalArgumentException("an agent's fact has a host, an incarnation and a positive seq");
            }
        }

        public static Key observed(String hostId, String incarnationId, long reportSeq) {
            return new Key(Objects.requireNonNull(hostId), Objects.requireNonNull(incarnationId), reportSeq);
        }

        public static Key deletedByApiKey() {
            return DELETED_BY_API;
        }

        public boolean deletedByApi() {
            return hostId == null;
        }
    }
}
