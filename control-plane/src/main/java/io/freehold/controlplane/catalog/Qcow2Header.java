package io.freehold.controlplane.catalog;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * What a qcow2 disk's header must say before Freehold hands the file to hosts. Beyond being qcow2 at all, a
 * disk may name no backing file and no external data file: either would be a path on the host that opens
 * it, so an uploaded image could make a guest read a host's file. Pure: bytes in, a reason out.
 */
final class Qcow2Header {

    private static final int MAGIC = 0x514649fb; // "QFI\xfb"
    private static final int V2_LENGTH = 72;
    private static final int V3_LENGTH = 104;
    private static final long INCOMPATIBLE_CORRUPT = 1L << 1;
    private static final long INCOMPATIBLE_EXTERNAL_DATA_FILE = 1L << 2;

    private Qcow2Header() {
    }

    /**
     * @param head the file's first bytes (at least 104 for version 3)
     * @return why the file cannot be used as a disk, or empty when it can
     */
    static Optional<String> refusal(byte[] head) {
        if (head.length < V2_LENGTH) {
            return Optional.of("the disk is " + head.length + " bytes long, shorter than any qcow2 header");
        }
        ByteBuffer header = ByteBuffer.wrap(head); // big-endian, like qcow2
        if (header.getInt(0) != MAGIC) {
            return Optional.of("the disk is not qcow2 (its first bytes are not QFI\\xfb); convert it with "
                    + "'qemu-img convert -O qcow2 <file> disk.qcow2'");
        }
        int version = header.getInt(4);
        if (version != 2 && version != 3) {
            return Optional.of("the disk is qcow2 version " + version + "; only versions 2 and 3 are supported");
        }
        if (header.getLong(8) != 0) {
            return Optional.of("the disk names a backing file, which would be a path on the host; flatten it with "
                    + "'qemu-img convert -O qcow2 <file> disk.qcow2'");
        }
        if (version == 3) {
            if (head.length < V3_LENGTH) {
                return Optional.of("the disk's qcow2 version 3 header is cut short");
            }
            long incompatible = header.getLong(72);
            if ((incompatible & INCOMPATIBLE_EXTERNAL_DATA_FILE) != 0) {
                return Optional.of("the disk keeps its data in an external file, which would be a path on the host; "
                        + "flatten it with 'qemu-img convert -O qcow2 <file> disk.qcow2'");
            }
            if ((incompatible & INCOMPATIBLE_CORRUPT) != 0) {
                return Optional.of("the disk is marked corrupt; repair it with 'qemu-img check -r all <file>'");
            }
        }
        return Optional.empty();
    }
}
