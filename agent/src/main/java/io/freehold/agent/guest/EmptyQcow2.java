package io.freehold.agent.guest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes an empty qcow2 image (version 3, 64 KiB clusters, 16-bit refcounts) laid out as {@code qemu-img create -f
 * qcow2} lays it out: the header in cluster 0, the refcount table in cluster 1, its one refcount block in cluster 2 and
 * the L1 table, all zero, from cluster 3. Nothing else is in the file; QEMU allocates data clusters as the guest writes.
 *
 * <p>The agent writes it itself instead of starting {@code qemu-img} for every new instance: the process start cost more
 * CPU than the rest of carrying out a create (docs/performance.md). {@code EmptyQcow2Test} checks every image against
 * {@code qemu-img check} and against qemu-img's own bytes. Growing and inspecting images stay with {@link QemuImg}.
 */
final class EmptyQcow2 {

    private static final int CLUSTER_BITS = 16;
    private static final int CLUSTER_SIZE = 1 << CLUSTER_BITS;
    /** One L1 entry maps an L2 table of {@code CLUSTER_SIZE / 8} entries, each one cluster of guest data. */
    private static final long BYTES_PER_L1_ENTRY = (long) CLUSTER_SIZE * (CLUSTER_SIZE / 8);
    private static final int REFCOUNT_ORDER = 4;
    /** A refcount block of 16-bit counts covers this many clusters: far more than the metadata of any empty image. */
    private static final int CLUSTERS_PER_REFCOUNT_BLOCK = CLUSTER_SIZE / 2;
    /** The version 3 header up to and including the compression type byte, padded to 8 bytes as qemu writes it. */
    private static final int HEADER_LENGTH = 112;
    private static final long REFCOUNT_TABLE_OFFSET = CLUSTER_SIZE;
    private static final long REFCOUNT_BLOCK_OFFSET = 2L * CLUSTER_SIZE;
    private static final long L1_TABLE_OFFSET = 3L * CLUSTER_SIZE;

    private EmptyQcow2() {
    }

    /**
     * Creates {@code file}, which must not exist, as an empty image of {@code sizeBytes} (a positive multiple of 512) and
     * forces it to disk.
     */
    static void create(Path file, long sizeBytes) throws IOException {
        if (sizeBytes <= 0 || sizeBytes % 512 != 0) {
            throw new IllegalArgumentException("a qcow2 image's size must be a positive multiple of 512 bytes, not " + sizeBytes);
        }
        long l1Entries = (sizeBytes + BYTES_PER_L1_ENTRY - 1) / BYTES_PER_L1_ENTRY;
        long l1Clusters = (l1Entries * 8 + CLUSTER_SIZE - 1) / CLUSTER_SIZE;
        long metadataClusters = 3 + l1Clusters;
        if (l1Entries > Integer.MAX_VALUE || metadataClusters > CLUSTERS_PER_REFCOUNT_BLOCK) {
            throw new IllegalArgumentException("a qcow2 image of " + sizeBytes + " bytes is beyond what the agent creates");
        }

        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
        header.putInt(0x514649fb);                  // magic "QFI\xfb"
        header.putInt(3);                           // version
        header.putLong(0);                          // backing file offset: none
        header.putInt(0);                           // backing file name length
        header.putInt(CLUSTER_BITS);
        header.putLong(sizeBytes);
        header.putInt(0);                           // no encryption
        header.putInt((int) l1Entries);
        header.putLong(L1_TABLE_OFFSET);
        header.putLong(REFCOUNT_TABLE_OFFSET);
        header.putInt(1);                           // refcount table clusters
        header.putInt(0);                           // snapshots
        header.putLong(0);                          // snapshots offset
        header.putLong(0);                          // incompatible features
        header.putLong(0);                          // compatible features
        header.putLong(0);                          // autoclear features
        header.putInt(REFCOUNT_ORDER);
        header.putInt(HEADER_LENGTH);
        header.put((byte) 0);                       // compression type: zlib
        header.position(HEADER_LENGTH).flip();
        // The header extensions follow the header; the zeros there are the end-of-extensions marker.

        ByteBuffer refcountTable = ByteBuffer.allocate(8).putLong(REFCOUNT_BLOCK_OFFSET).flip();
        ByteBuffer refcounts = ByteBuffer.allocate((int) metadataClusters * 2);
        while (refcounts.hasRemaining()) {
            refcounts.putShort((short) 1);
        }
        refcounts.flip();

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(channel, header, 0);
            write(channel, refcountTable, REFCOUNT_TABLE_OFFSET);
            write(channel, refcounts, REFCOUNT_BLOCK_OFFSET);
            // The L1 table is all zeros: extending the file to its end makes it so, without writing them.
            write(channel, ByteBuffer.allocate(1), L1_TABLE_OFFSET + l1Entries * 8 - 1);
            channel.force(true);
        }
    }

    private static void write(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }
}
