package io.freehold.agent.facts;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Capacity and free space of the file system that holds the guest storage path. Before the path exists (at join,
 * say) the nearest existing ancestor is measured, which is the file system the path will be created on.
 */
public record StorageSpace(long totalBytes, long usableBytes) {

    public static final StorageSpace UNKNOWN = new StorageSpace(0, 0);

    public static StorageSpace of(Path path) {
        Path existing = path.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return UNKNOWN;
        }
        try {
            FileStore store = Files.getFileStore(existing);
            return new StorageSpace(store.getTotalSpace(), store.getUsableSpace());
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
