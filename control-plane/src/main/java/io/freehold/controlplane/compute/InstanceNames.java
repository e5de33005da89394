package io.freehold.controlplane.compute;

import java.util.Collection;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** What billing shows of instances: their names, which invoices print beside their ids. */
@Component
public class InstanceNames {

    private final InstanceStore store;

    InstanceNames(InstanceStore store) {
        this.store = store;
    }

    /** The names of these instances, live or deleted, by id; an id no instance ever had is absent. */
    @Transactional(readOnly = true)
    public Map<String, String> of(Collection<String> instanceIds) {
        return instanceIds.isEmpty() ? Map.of() : store.names(instanceIds);
    }
}
