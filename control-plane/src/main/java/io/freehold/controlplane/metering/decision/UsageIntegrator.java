package io.freehold.controlplane.metering.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.metering.LifecycleEventKind;
import io.freehold.controlplane.metering.LifecycleFact.Shape;

/**
 * One instance's exact usage from its lifecycle facts: the integral of what the facts say, second by second.
 * The result depends only on the set of facts and {@code asOf} — never on the order they are given in or on how
 * often one is repeated — so recomputing any period from the same log gives the same numbers.
 *
 * <h2>What is counted when</h2>
 * <ol>
 *   <li><b>Identity.</b> Facts are one fact when their {@link MeteredFact.Key} is equal (host, agent incarnation,
 *       report seq; or the API's delete); repeats are dropped. A re-joined agent's new incarnation has new keys, so
 *       its facts count as new facts even when they repeat what the old incarnation said. Two facts with one key
 *       but different content cannot come from the log, whose key is unique: they are refused
 *       ({@link IllegalArgumentException}), never guessed between.</li>
 *   <li><b>Time and order.</b> A fact at second t takes effect at the start of t; an interval [from, to) lasts
 *       to − from seconds. Facts apply in time order; facts in the same second apply in a fixed order — one
 *       incarnation's in report-seq order (the order its agent saw them), different incarnations by their ids, the
 *       API's delete last — so the outcome never depends on delivery.</li>
 *   <li><b>Sizes.</b> Every fact reports the sizes its observer saw; each non-zero size applies from the fact's
 *       second on (a {@code resized}, but equally a {@code started} or {@code stopped} reporting a new size). A zero
 *       size means "not said" and keeps the previous one. A size never said weighs zero: its meter counts nothing
 *       (instance seconds are still counted).</li>
 *   <li><b>Running.</b> Running time starts at a {@code started} and ends at the next {@code stopped},
 *       {@code provisioned} (a guest just defined is not running) or delete. Running meters are
 *       {@code instance.seconds} (rate 1, tagged with the shape in force), {@code vcpu.seconds} (× vCPUs) and
 *       {@code memory.gib.seconds} (× MiB, see {@link Meter#MEMORY_GIB_SECONDS}).</li>
 *   <li><b>Started while running</b> (e.g. a re-joined agent reporting a guest that never stopped): the running
 *       interval goes on from the first start — no second count and no gap; only a changed size takes effect.</li>
 *   <li><b>Stopped while not running</b>: changes nothing. Metering never invents running time: a lost
 *       {@code started} is under-counted here and shown by the reconciliation report against the agent's
 *       counter, not guessed.</li>
 *   <li><b>Disk.</b> {@code disk.gib.seconds} (× root disk GiB) runs, running or not, from the instance's first
 *       fact — normally {@code provisioned}; if that is lost, the first fact observed of the guest proves the disk
 *       existed — until the delete.</li>
 *   <li><b>Delete.</b> The earliest {@code deleted}, whether the API's or a host's, ends every meter at its
 *       second. Facts after it (or in its second) count nothing: the API's delete stops billing even while the host
 *       is still removing the guest.</li>
 *   <li><b>As of.</b> Usage is computed as of an instant: facts at or after {@code asOf} are not yet known, and a
 *       meter still open is closed at {@code asOf}. So usage as of a later instant only ever adds to usage as of
 *       an earlier one; the seconds before the earlier instant do not change.</li>
 * </ol>
 * Adjacent intervals of one meter at one rate and shape are merged, so repeats never split an interval.
 */
public final class UsageIntegrator {

    private static final Comparator<MeteredFact> ORDER = Comparator.comparing(MeteredFact::occurredAt)
            .thenComparing(MeteredFact::key, MeteredFact.Key.ORDER);

    private static final Shape UNSAID = new Shape(0, 0, 0);

    private UsageIntegrator() {
    }

    /**
     * @param facts one instance's facts, in any order, repeats allowed
     * @param asOf  the instant usage is computed up to (exclusive), in whole seconds
     * @return the intervals, by meter and then by time
     * @throws IllegalArgumentException when two facts share a key but differ
     */
    public static List<UsageInterval> integrate(Collection<MeteredFact> facts, Instant asOf) {
        long end = asOf.getEpochSecond();
        List<MeteredFact> ordered = distinct(facts);
        ordered.sort(ORDER);

        State state = State.NONE;
        long since = 0;
        List<UsageInterval> intervals = new ArrayList<>();
        for (MeteredFact fact : ordered) {
            long at = fact.occurredAt().getEpochSecond();
            if (at >= end) {
                break;
            }
            if (fact.event() == LifecycleEventKind.DELETED) {
                end = at;
                break;
            }
            State next = state.after(fact);
            if (!next.equals(state)) {
                emit(state, since, at, intervals);
                state = next;
                since = at;
            }
        }
        emit(state, since, end, intervals);
        return merged(intervals);
    }

    private static List<MeteredFact> distinct(Collection<MeteredFact> facts) {
        Map<MeteredFact.Key, MeteredFact> byKey = new HashMap<>();
        for (MeteredFact fact : facts) {
            MeteredFact before = byKey.putIfAbsent(fact.key(), fact);
            if (before != null && !before.equals(fact)) {
                throw new IllegalArgumentException("two different facts share the key " + fact.key() + ": " + before + " and " + fact);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private static void emit(State state, long from, long to, List<UsageInterval> intervals) {
        if (from >= to || !state.exists()) {
            return;
        }
        Instant start = Instant.ofEpochSecond(from);
        Instant stop = Instant.ofEpochSecond(to);
        Shape shape = state.shape();
        if (state.running()) {
            intervals.add(new UsageInterval(Meter.INSTANCE_SECONDS, start, stop, 1, shape));
            add(intervals, Meter.VCPU_SECONDS, start, stop, shape.vcpus(), shape);
            add(intervals, Meter.MEMORY_GIB_SECONDS, start, stop, shape.memoryMib(), shape);
        }
        add(intervals, Meter.DISK_GIB_SECONDS, start, stop, shape.rootDiskGib(), shape);
    }

    private static void add(List<UsageInterval> intervals, Meter meter, Instant from, Instant to, long rate, Shape shape) {
        if (rate > 0) {
            intervals.add(new UsageInterval(meter, from, to, rate, shape));
        }
    }

    /** Joins intervals that meet and agree on meter, rate and shape; the result is ordered by meter, then time. */
    private static List<UsageInterval> merged(List<UsageInterval> intervals) {
        List<UsageInterval> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparing(UsageInterval::meter).thenComparing(UsageInterval::from));
        List<UsageInterval> result = new ArrayList<>();
        for (UsageInterval interval : sorted) {
            UsageInterval last = result.isEmpty() ? null : result.get(result.size() - 1);
            if (last != null && last.meter() == interval.meter() && last.to().equals(interval.from()) && last.rate() == interval.rate()
                    && last.shape().equals(interval.shape())) {
                result.set(result.size() - 1, new UsageInterval(last.meter(), last.from(), interval.to(), last.rate(), last.shape()));
            } else {
                result.add(interval);
            }
        }
        return List.copyOf(result);
    }

    /** What the facts so far say: whether the guest exists and runs, and the sizes in force. */
    private record State(boolean exists, boolean running, Shape shape) {

        static final State NONE = new State(false, false, UNSAID);

        State after(MeteredFact fact) {
            Shape sizes = new Shape(said(fact.shape().vcpus(), shape.vcpus()), said(fact.shape().memoryMib(), shape.memoryMib()),
                    said(fact.shape().rootDiskGib(), shape.rootDiskGib()));
            boolean runs = switch (fact.event()) {
                case STARTED -> true;
                case STOPPED, PROVISIONED -> false;
                case RESIZED -> running;
                case DELETED -> throw new IllegalStateException("a delete ends the integration before it is applied");
            };
            return new State(true, runs, sizes);
        }

        private static int said(int reported, int before) {
            return reported != 0 ? reported : before;
        }

        private static long said(long reported, long before) {
            return reported != 0 ? reported : before;
        }
    }
}
