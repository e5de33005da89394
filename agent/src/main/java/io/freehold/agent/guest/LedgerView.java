package io.freehold.agent.guest;

import java.util.List;
import java.util.Optional;

import io.freehold.agent.guest.GuestInventory.ForeignDomain;
import io.freehold.agent.guest.GuestInventory.Guest;
import io.freehold.agent.v1.GuestReport;

/**
 * What the link needs from the guest ledger, as one immutable value: the ledger lives on the command runner's thread,
 * the session reads this on its own.
 *
 * @param observed   whether this agent process has read libvirt yet; until then {@code guests} and {@code foreign}
 *                   are empty and say nothing about the host
 * @param appliedSeq the seq of the last command applied when the guests were looked at (kept across restarts)
 * @param pending    the reports the control plane has not acknowledged, oldest first
 */
public record LedgerView(boolean observed, long appliedSeq, List<Guest> guests, List<ForeignDomain> foreign,
                         List<Counter> counters, List<GuestReport> pending) {

    public LedgerView {
        guests = List.copyOf(guests);
        foreign = List.copyOf(foreign);
        counters = List.copyOf(counters);
        pending = List.copyOf(pending);
    }

    /**
     * One guest's running time. {@code power} is empty when the agent does not know it: the guest is gone (the
     * counter stays until the control plane acknowledges its deletion), or libvirt has not been read since the agent
     * started.
     */
    public record Counter(String instanceId, long runningMillis, Optional<PowerState> power) {
    }
}
