package io.freehold.controlplane.scheduling.decision;

/**
 * A seeded permutation of {@code 0..n-1} without materialising it: a start and a stride coprime with n
 * visit every index once. Shuffling 10,000 indices for every decision would cost more than deciding;
 * this costs two multiplications. The same seed gives the same order, so tests are deterministic.
 */
final class VisitOrder {

    private final int size;
    private final long start;
    private final long stride;

    VisitOrder(int size, long seed) {
        this.size = size;
        long mixed = mix(seed);
        this.start = size == 0 ? 0 : Math.floorMod(mixed, size);
        long candidate = size <= 1 ? 1 : 1 + Math.floorMod(mix(mixed), size - 1);
        while (gcd(candidate, size) != 1) {
            candidate++;
        }
        this.stride = candidate;
    }

    /** The k-th index visited, for k from 0 to size − 1. */
    int at(int k) {
        return (int) ((start + k * stride) % size);
    }

    /** SplitMix64's finaliser: nearby seeds give unrelated orders. */
    private static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
