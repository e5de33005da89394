package io.freehold.agent.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.freehold.agent.guest.GuestFailure.Code;
import io.freehold.agent.v1.ImagePart;

/**
 * Image parts held as files named by their SHA-256 in one directory, as a cache that already fetched them would hold
 * them. A part it does not hold is a failure, as a fetch that cannot be made is; every part asked for is remembered.
 */
final class TestImages implements ImageParts {

    private final Path directory;
    private final List<String> asked = new ArrayList<>();

    TestImages(Path directory) {
        this.directory = directory;
    }

    /** Holds a copy of {@code file} and returns the part that names it. */
    ImagePart add(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String sha256 = sha256(bytes);
        Files.write(directory.resolve(sha256), bytes);
        return ImagePart.newBuilder().setSha256(sha256).setSizeBytes(bytes.length).build();
    }

    ImagePart add(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(directory, "part-", ".tmp");
        Files.write(file, bytes);
        try {
            return add(file);
        } finally {
            Files.delete(file);
        }
    }

    /** The SHA-256 of every part asked for, in order. */
    List<String> asked() {
        return List.copyOf(asked);
    }

    @Override
    public Path local(ImagePart part) throws GuestFailure {
        asked.add(part.getSha256());
        Path file = directory.resolve(part.getSha256());
        if (!part.getSha256().matches("[0-9a-f]{64}") || !Files.isRegularFile(file)) {
            throw new GuestFailure(Code.UNAVAILABLE, "no image part " + part.getSha256() + " can be fetched");
        }
        return file;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
