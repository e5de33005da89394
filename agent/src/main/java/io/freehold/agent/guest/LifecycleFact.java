package io.freehold.agent.guest;

import io.freehold.agent.guest.GuestInventory.Guest;
import io.freehold.agent.v1.LifecycleEvent;

/**
 * One lifecycle fact about one guest, as two looks show it.
 *
 * @param guest the guest the fact is about as it was when the fact held: for STOPPED and DELETED as the earlier look
 *              saw it (the shape it ran with, the definition that went away), for the others as the later look sees it
 */
public record LifecycleFact(LifecycleEvent event, Guest guest) {
}
