package io.freehold.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import tools.jackson.databind.JsonNode;

/**
 * The load: client threads create instances through the tenant API, with at most {@code inFlight} instances between
 * their POST and their RUNNING at any time (and at most {@code rate} POSTs per second when a rate is set), while one
 * watcher sees them become RUNNING through the same API.
 *
 * <p>The watcher never asks about every instance at every turn, which would load the control plane with reads that grow
 * with the number in flight times the polling rate. Every {@link #POLL} it lists the instances still in the phases
 * before RUNNING ({@code PENDING}, then {@code PROVISIONING}: in the order of the lifecycle, so that one moving on
 * between the two lists shows in both rather than in neither), and reads the status of each instance whose create was
 * answered before the lists were asked for and which neither holds: that read is what says RUNNING (or FAILED), so a
 * missed one only costs a read. {@code SCHEDULED} is not listed, to spare the control plane a third list at every turn:
 * the pass that places an instance writes its first command, and PROVISIONING, in the same transaction, so no reader
 * sees SCHEDULED after a create; if one did, its read would say so and the next turn would look again. An instance's
 * time to RUNNING runs from just before its POST was sent to the answer of the read that showed it RUNNING, so it is late
 * by up to one polling interval plus a read, never early.
 */
final class CreateLoad implements AutoCloseable {

    static final Duration POLL = Duration.ofMillis(200);
    static final List<String> PHASES_BEFORE_RUNNING = List.of("PENDING", "PROVISIONING");
    /** Stop creating after this many failed POSTs: something is broken and the rest would fail the same way. */
    private static final int MAX_POST_FAILURES = 20;
    /** Failed instances whose reasons are kept for the report. */
    private static final int FAILURES_KEPT = 5;

    /** A create whose POST was answered and whose end (RUNNING or FAILED) was not seen yet. */
    private record Pending(long sentNanos, long acceptedNanos) {
    }

    /** POST to its 202, for every create. */
    final LatencySamples acceptLatency = new LatencySamples();
    /** POST sent to RUNNING seen, for the instances seen RUNNING while {@link #measuring(boolean)} is on. */
    final LatencySamples runningLatency = new LatencySamples();
    final LongAdder accepted = new LongAdder();
    final LongAdder running = new LongAdder();
    final LongAdder failed = new LongAdder();
    final AtomicInteger postFailures = new AtomicInteger();
    final AtomicReference<Throwable> firstError = new AtomicReference<>();
    /** The first few FAILED instances with the reason their status gives. */
    final Map<String, String> failures = new ConcurrentHashMap<>();
    /** How many instances each phase before RUNNING held at the watcher's last look. */
    volatile Map<String, Integer> lastLook = Map.of();

    private final TenantClient api;
    private final String flavorId;
    private final String imageId;
    private final int clients;
    private final Semaphore slots;
    private final long nanosBetweenPosts;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong names = new AtomicLong();
    private final AtomicLong nextPostAt = new AtomicLong(System.nanoTime());
    private final ExecutorService creators;
    private final Thread watcher = new Thread(this::watch, "bench-running-watcher");
    private final String run = UUID.randomUUID().toString();
    private volatile boolean creating = true;
    private volatile boolean watching = true;
    private volatile boolean measuring;

    /** @param rate POSTs per second at most, all clients together; 0 for as many as the in-flight limit allows */
    CreateLoad(TenantClient api, String flavorId, String imageId, int clients, int inFlight, double rate) {
        this.api = api;
        this.flavorId = flavorId;
        this.imageId = imageId;
        this.clients = clients;
        this.slots = new Semaphore(inFlight);
        this.nanosBetweenPosts = rate > 0 ? (long) (1e9 / rate) : 0;
        AtomicInteger threads = new AtomicInteger();
        this.creators = Executors.newFixedThreadPool(clients, task -> {
            Thread thread = new Thread(task, "bench-creator-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        watcher.setDaemon(true);
    }

    void start() {
        watcher.start();
        for (int i = 0; i < clients; i++) {
            creators.execute(this::create);
        }
    }

    /** While on, every instance seen RUNNING adds its time to {@link #runningLatency}. */
    void measuring(boolean on) {
        measuring = on;
    }

    /** Instances created and not yet seen RUNNING or FAILED. */
    int inFlight() {
        return pending.size();
    }

    /**
     * Stops creating, lets the POSTs under way finish, then waits until every instance created was seen RUNNING or
     * FAILED, or until {@code limit} passed.
     *
     * @return the instances still not seen RUNNING or FAILED, each with the phase it is in now
     */
    Map<String, String> drain(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        creating = false;
        creators.shutdown();
        if (!creators.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            // Clients still waiting for a free slot, because nothing in flight ends.
            creators.shutdownNow();
        }
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
        }
        watching = false;
        watcher.join(TimeUnit.SECONDS.toMillis(30));
        Map<String, String> stuck = new LinkedHashMap<>();
        for (String id : pending.keySet()) {
            try {
                stuck.put(id, api.status(id).path("phase").asString());
            } catch (IOException | RuntimeException e) {
                stuck.put(id, "unknown: " + e);
            }
        }
        return stuck;
    }

    /** Stops creating and watching at once, whatever is in flight: for a run that ends early. */
    @Override
    public void close() {
        creating = false;
        watching = false;
        creators.shutdownNow();
        watcher.interrupt();
    }

    private void create() {
        while (creating && postFailures.get() < MAX_POST_FAILURES) {
            try {
                slots.acquire();
                waitForTurn();
                if (!creating) {
                    slots.release();
                    return;
                }
                long n = names.incrementAndGet();
                long sent = System.nanoTime();
                String id;
                try {
                    id = api.createInstance(String.format("bench-%06d", n), flavorId, imageId, run + "-" + n);
                } catch (IOException | RuntimeException e) {
                    postFailures.incrementAndGet();
                    firstError.compareAndSet(null, e);
                    slots.release();
                    continue;
                }
                long answered = System.nanoTime();
                acceptLatency.add(answered - sent);
                pending.put(id, new Pending(sent, answered));
                accepted.increment();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** With a rate, each POST takes the next free moment on a common timetable; a client that is late does not catch up. */
    private void waitForTurn() throws InterruptedException {
        if (nanosBetweenPosts == 0) {
            return;
        }
        long now = System.nanoTime();
        long turn = nextPostAt.getAndUpdate(next -> Math.max(next, now) + nanosBetweenPosts);
        long wait = Math.max(turn, now) - now;
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private void watch() {
        while (watching) {
            long started = System.nanoTime();
            try {
                look(started);
            } catch (IOException | RuntimeException e) {
                // One failed look is retried at the next turn; the drain's limit catches a control plane that stays away.
                firstError.compareAndSet(null, e);
            } catch (InterruptedException e) {
                return;
            }
            long left = POLL.toNanos() - (System.nanoTime() - started);
            if (left > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void look(long started) throws IOException, InterruptedException {
        // Only creates answered before the lists were asked for: a newer one may be missing from them because its
        // commit had not happened yet, not because it moved on.
        List<Map.Entry<String, Pending>> candidates = pending.entrySet().stream()
                .filter(entry -> entry.getValue().acceptedNanos() < started).toList();
        Set<String> before = new HashSet<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String phase : PHASES_BEFORE_RUNNING) {
            List<String> ids = api.idsInPhase(phase);
            counts.put(phase, ids.size());
            before.addAll(ids);
        }
        lastLook = counts;
        for (Map.Entry<String, Pending> candidate : candidates) {
            if (before.contains(candidate.getKey())) {
                continue;
            }
            JsonNode status = api.status(candidate.getKey());
            long seen = System.nanoTime();
            switch (status.path("phase").asString()) {
                case "RUNNING" -> {
                    if (measuring) {
                        runningLatency.add(seen - candidate.getValue().sentNanos());
                    }
                    running.increment();
                    ended(candidate.getKey());
                }
                case "FAILED" -> {
                    failed.increment();
                    if (failures.size() < FAILURES_KEPT) {
                        failures.put(candidate.getKey(), status.path("conditions").toString());
                    }
                    ended(candidate.getKey());
                }
                default -> {
                    // SCHEDULED, or a list page moved under it; the next look finds it again.
                }
            }
        }
    }

    private void ended(String id) {
        pending.remove(id);
        slots.release();
    }
}
