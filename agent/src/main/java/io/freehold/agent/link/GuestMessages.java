package io.freehold.agent.link;

import java.util.List;

import io.freehold.agent.guest.LedgerView;
import io.freehold.agent.guest.PowerState;
import io.freehold.agent.v1.ActualGuest;
import io.freehold.agent.v1.ForeignDomain;
import io.freehold.agent.v1.GuestCounter;
import io.freehold.agent.v1.GuestPower;

/** The guest ledger's view as the protocol's messages (version 3): Hello's guests and foreign domains, heartbeat counters. */
final class GuestMessages {

    private GuestMessages() {
    }

    static List<ActualGuest> actualGuests(LedgerView view) {
        return view.guests().stream().map(guest -> ActualGuest.newBuilder()
                .setInstanceId(guest.instanceId())
                .setGeneration(guest.generation())
                .setRebootCount(Math.toIntExact(guest.rebootCount()))
                .setPower(power(guest.power()))
                .build()).toList();
    }

    static List<ForeignDomain> foreignDomains(LedgerView view) {
        return view.foreign().stream().map(domain -> ForeignDomain.newBuilder()
                .setName(domain.name())
                .setPower(power(domain.power()))
                .setReason(domain.reason())
                .build()).toList();
    }

    /** Whole seconds, rounded down: a counter never claims time not yet run. */
    static List<GuestCounter> counters(LedgerView view) {
        return view.counters().stream().map(counter -> GuestCounter.newBuilder()
                .setInstanceId(counter.instanceId())
                .setRunningSeconds(counter.runningMillis() / 1000)
                .setPower(counter.power().map(GuestMessages::power).orElse(GuestPower.GUEST_POWER_UNSPECIFIED))
                .build()).toList();
    }

    static GuestPower power(PowerState power) {
        return switch (power) {
            case RUNNING -> GuestPower.GUEST_POWER_RUNNING;
            case SHUT_OFF -> GuestPower.GUEST_POWER_SHUT_OFF;
            case PAUSED -> GuestPower.GUEST_POWER_PAUSED;
            case CRASHED -> GuestPower.GUEST_POWER_CRASHED;
            case OTHER -> GuestPower.GUEST_POWER_OTHER;
        };
    }
}
