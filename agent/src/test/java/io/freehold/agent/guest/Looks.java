package io.freehold.agent.guest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.freehold.agent.guest.GuestInventory.Guest;
import io.freehold.agent.guest.GuestInventory.Shape;

/**
 * Guests and observations written as compactly as a row of a table: {@code off}, {@code running@7} (runtime id 7),
 * {@code paused@7}, {@code other@7}, optionally followed by a shape {@code 4/1024/20} (vCPUs, memory MiB, disk GiB;
 * {@code 1/512/10} when left out).
 */
final class Looks {

    static final String BOOT = "boot-1";
    static final Shape SMALL = new Shape(1, 512, 10);

    private Looks() {
    }

    static Guest guest(String id, String state) {
        String[] parts = state.trim().split("\\s+");
        String[] power = parts[0].split("@");
        Shape shape = SMALL;
        if (parts.length > 1) {
            String[] sizes = parts[1].split("/");
            shape = new Shape(Integer.parseInt(sizes[0]), Long.parseLong(sizes[1]), Long.parseLong(sizes[2]));
        }
        PowerState powerState = switch (power[0]) {
            case "off" -> PowerState.SHUT_OFF;
            case "running" -> PowerState.RUNNING;
            case "paused" -> PowerState.PAUSED;
            case "other" -> PowerState.OTHER;
            default -> throw new IllegalArgumentException("unknown state " + power[0]);
        };
        int runtimeId = power.length > 1 ? Integer.parseInt(power[1]) : Guest.NOT_RUNNING;
        return new Guest(id, "t-" + id, 3, 0, powerState, runtimeId, shape);
    }

    /** An observation of guests given as id, state, id, state, … */
    static Observation look(Instant at, String bootId, String... idsAndStates) {
        Map<String, Guest> guests = new LinkedHashMap<>();
        for (int i = 0; i < idsAndStates.length; i += 2) {
            guests.put(idsAndStates[i], guest(idsAndStates[i], idsAndStates[i + 1]));
        }
        return new Observation(at, bootId, 0, guests);
    }

    static Observation look(String... idsAndStates) {
        return look(Instant.parse("2026-11-29T10:00:00Z"), BOOT, idsAndStates);
    }
}
