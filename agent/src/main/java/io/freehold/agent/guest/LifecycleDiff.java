package io.freehold.agent.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import io.freehold.agent.guest.GuestInventory.Guest;
import io.freehold.agent.v1.LifecycleEvent;

/**
 * The lifecycle facts (ARCHITECTURE §3.6) that separate two looks at the host's guests. Pure: two observations in,
 * facts out, in instance id order and, per guest, in the order they happened:
 *
 * <table>
 *   <caption>facts per guest</caption>
 *   <tr><th>earlier look</th><th>later look</th><th>facts</th></tr>
 *   <tr><td>absent</td><td>present</td><td>PROVISIONED, then STARTED if it runs</td></tr>
 *   <tr><td>present</td><td>absent</td><td>STOPPED if it ran, then DELETED</td></tr>
 *   <tr><td>not running</td><td>running</td><td>STARTED</td></tr>
 *   <tr><td>running</td><td>not running</td><td>STOPPED</td></tr>
 *   <tr><td>running</td><td>running, another run</td><td>STOPPED, STARTED: it restarted while nobody looked</td></tr>
 *   <tr><td>one shape</td><td>another shape</td><td>RESIZED, after any STOPPED and before any STARTED</td></tr>
 * </table>
 *
 * "Running" is {@link PowerState#isActive()}: a paused guest still holds its memory and vCPUs, so pausing and
 * resuming are no facts.
 */
final class LifecycleDiff {

    private LifecycleDiff() {
    }

    static List<LifecycleFact> between(Observation earlier, Observation later) {
        SortedSet<String> ids = new TreeSet<>(earlier.guests().keySet());
        ids.addAll(later.guests().keySet());
        List<LifecycleFact> facts = new ArrayList<>();
        for (String id : ids) {
            Guest before = earlier.guests().get(id);
            Guest after = later.guests().get(id);
            if (before == null) {
                facts.add(new LifecycleFact(LifecycleEvent.LIFECYCLE_EVENT_PROVISIONED, after));
                if (after.isRunning()) {
                    facts.add(new LifecycleFact(LifecycleEvent.LIFECYCLE_EVENT_STARTED, after));
                }
            } else if (after == null) {
                if (before.isRunning()) {
                    facts.add(new LifecycleFact(LifecycleEvent.LIFECYCLE_EVENT_STOPPED, before));
                }
                facts.add(new LifecycleFact(LifecycleEvent.LIFECYCLE_EVENT_DELETED, before));
            } else {
                boolean ranOn = earlier.ranOn(id, later);
                if (before.isRunning() && !ranOn) {
                    facts.add(new LifecycleFact(LifecycleEvent.LIFECYCLE_EVENT_STOPPED, before));
                }
                // Between the two: a guest that stopped ran with the old shape, and one that starts runs with the new.
                if (!before.shape().equals(after.shape())) {
                    facts.add(new LifecycleFact(LifecycleEvent.LIFECYCLE_EVENT_RESIZED, after));
                }
                if (after.isRunning() && !ranOn) {
                    facts.add(new LifecycleFact(LifecycleEvent.LIFECYCLE_EVENT_STARTED, after));
                }
            }
        }
        return facts;
    }
}
