package io.freehold.agent.guest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Writes a small ISO 9660 image with a few files in its root directory: what cloud-init's NoCloud data source reads
 * from a disk labelled {@code cidata}. Pure: the same label and files always give the same bytes (every date is the
 * Unix epoch), so the agent rewrites a seed only when what it says changed.
 *
 * <p>Besides the primary volume descriptor, whose names are limited to upper-case letters, digits and {@code _}, the
 * image has a Joliet supplementary volume descriptor (names in UCS-2 big-endian), which Linux's isofs prefers when
 * there is no Rock Ridge: that is how the guest sees {@code meta-data} and {@code user-data} under their exact names.
 * Both directory trees point at the same file data. Layout, in 2048-byte sectors: 16 empty (the system area), the
 * primary and Joliet volume descriptors, the terminator, the path tables (primary little- then big-endian, then
 * Joliet's), the two root directories, then each file.
 */
final class SeedIso {

    /** A file of the root directory. Its name is what the guest sees through Joliet. */
    record File(String name, byte[] content) {

        private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,29}");

        File {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("a seed file name must be 1-30 lower-case letters, digits, '.', '_' "
                        + "and '-', starting with a letter or digit, not '" + name + "'");
            }
            content = content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }
    }

    static final int SECTOR = 2048;
    private static final int PRIMARY_DESCRIPTOR = 16;
    private static final int JOLIET_DESCRIPTOR = 17;
    private static final int TERMINATOR = 18;
    private static final int PRIMARY_L_PATH_TABLE = 19;
    private static final int PRIMARY_M_PATH_TABLE = 20;
    private static final int JOLIET_L_PATH_TABLE = 21;
    private static final int JOLIET_M_PATH_TABLE = 22;
    private static final int PRIMARY_ROOT = 23;
    private static final int JOLIET_ROOT = 24;
    private static final int FIRST_FILE = 25;
    private static final byte DIRECTORY_FLAG = 0x02;
    /** One root directory entry: its identifier is the single byte 0 and it has itself as parent. */
    private static final int PATH_TABLE_SIZE = 10;
    /** "%/E": UCS-2 level 3, the escape sequence that marks a supplementary volume descriptor as Joliet. */
    private static final byte[] JOLIET_ESCAPE = {0x25, 0x2F, 0x45};
    /**
     * Dates say when the volume was made, which nothing reading a seed cares about; a fixed one keeps the image a
     * function of its files. Written in the 17-byte form of volume descriptors ("YYYYMMDDHHMMSScc" and the offset from
     * UTC in 15-minute steps) and the 7-byte form of directory records (years since 1900, month, day, hours, minutes,
     * seconds, offset).
     */
    private static final byte[] DESCRIPTOR_DATE = "1970010100000000\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECORD_DATE = {70, 1, 1, 0, 0, 0, 0};
    /** "Not specified", as ISO 9660 spells it for the expiration date. */
    private static final byte[] NO_DATE = "0000000000000000\0".getBytes(StandardCharsets.US_ASCII);

    private SeedIso() {
    }

    /**
     * The image of a volume labelled {@code label} (up to 16 lower-case letters and digits; the primary descriptor
     * carries it in upper case, as its character set requires) holding {@code files} in its root directory.
     */
    static byte[] image(String label, List<File> files) {
        if (!label.matches("[a-z0-9]{1,16}")) {
            throw new IllegalArgumentException("a seed volume label must be 1-16 lower-case letters and digits, not '" + label + "'");
        }
        List<String> names = files.stream().map(File::name).toList();
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("seed file names must differ, got " + names);
        }
        if (names.stream().map(SeedIso::primaryName).distinct().count() != names.size()) {
            throw new IllegalArgumentException("seed file names must differ in upper case with '-' as '_', got " + names);
        }

        List<Extent> extents = new ArrayList<>();
        int sector = FIRST_FILE;
        for (File file : files) {
            extents.add(new Extent(file, sector));
            sector += sectors(file.content.length);
        }
        int totalSectors = sector;

        ByteBuffer image = ByteBuffer.allocate(totalSectors * SECTOR);
        volumeDescriptor(image, PRIMARY_DESCRIPTOR, false, label.toUpperCase(Locale.ROOT), totalSectors);
        volumeDescriptor(image, JOLIET_DESCRIPTOR, true, label, totalSectors);
        terminator(image);
        pathTable(image, PRIMARY_L_PATH_TABLE, ByteOrder.LITTLE_ENDIAN, PRIMARY_ROOT);
        pathTable(image, PRIMARY_M_PATH_TABLE, ByteOrder.BIG_ENDIAN, PRIMARY_ROOT);
        pathTable(image, JOLIET_L_PATH_TABLE, ByteOrder.LITTLE_ENDIAN, JOLIET_ROOT);
        pathTable(image, JOLIET_M_PATH_TABLE, ByteOrder.BIG_ENDIAN, JOLIET_ROOT);
        rootDirectory(image, PRIMARY_ROOT, extents, extent -> primaryName(extent.file.name)
                .getBytes(StandardCharsets.US_ASCII));
        rootDirectory(image, JOLIET_ROOT, extents, extent -> extent.file.name.getBytes(StandardCharsets.UTF_16BE));
        for (Extent extent : extents) {
            image.put(extent.sector * SECTOR, extent.file.content);
        }
        return image.array();
    }

    /**
     * The name under the primary descriptor: ISO 9660's d-characters with the version ";1" every file identifier
     * carries. Seen only by readers that ignore Joliet.
     */
    static String primaryName(String name) {
        String upper = name.toUpperCase(Locale.ROOT).replace('-', '_');
        return (upper.contains(".") ? upper : upper + ".") + ";1";
    }

    private record Extent(File file, int sector) {
    }

    private interface Identifier {
        byte[] of(Extent extent);
    }

    private static int sectors(long bytes) {
        return (int) ((bytes + SECTOR - 1) / SECTOR);
    }

    private static void volumeDescriptor(ByteBuffer image, int sector, boolean joliet, String label, int totalSectors) {
        ByteBuffer d = slice(image, sector);
        d.put((byte) (joliet ? 2 : 1));
        d.put("CD001".getBytes(StandardCharsets.US_ASCII));
        d.put((byte) 1);
        d.put(8, text(joliet, "", 32));                        // system identifier
        d.put(40, text(joliet, label, 32));                    // volume identifier
        bothEndian32(d, 80, totalSectors);                     // volume space size
        if (joliet) {
            d.put(88, JOLIET_ESCAPE);
        }
        bothEndian16(d, 120, 1);                               // volume set size
        bothEndian16(d, 124, 1);                               // volume sequence number
        bothEndian16(d, 128, SECTOR);                          // logical block size
        bothEndian32(d, 132, PATH_TABLE_SIZE);
        d.order(ByteOrder.LITTLE_ENDIAN).putInt(140, joliet ? JOLIET_L_PATH_TABLE : PRIMARY_L_PATH_TABLE);
        d.order(ByteOrder.BIG_ENDIAN).putInt(148, joliet ? JOLIET_M_PATH_TABLE : PRIMARY_M_PATH_TABLE);
        directoryRecord(d, 156, new byte[] {0}, joliet ? JOLIET_ROOT : PRIMARY_ROOT, SECTOR, DIRECTORY_FLAG);
        d.put(190, text(joliet, "", 128));                     // volume set identifier
        d.put(318, text(joliet, "", 128));                     // publisher
        d.put(446, text(joliet, "", 128));                     // data preparer
        d.put(574, text(joliet, joliet ? "freehold agent" : "FREEHOLD AGENT", 128)); // application
        d.put(702, text(joliet, "", 37));                      // copyright file
        d.put(739, text(joliet, "", 37));                      // abstract file
        d.put(776, text(joliet, "", 37));                      // bibliographic file
        d.put(813, DESCRIPTOR_DATE);                           // created
        d.put(830, DESCRIPTOR_DATE);                           // modified
        d.put(847, NO_DATE);                                   // expires
        d.put(864, DESCRIPTOR_DATE);                           // effective
        d.put(881, (byte) 1);                                  // file structure version
    }

    private static void terminator(ByteBuffer image) {
        ByteBuffer d = slice(image, TERMINATOR);
        d.put((byte) 255);
        d.put("CD001".getBytes(StandardCharsets.US_ASCII));
        d.put((byte) 1);
    }

    /** A path table of the root directory alone; its parent is itself, directory number 1. */
    private static void pathTable(ByteBuffer image, int sector, ByteOrder order, int rootSector) {
        ByteBuffer t = slice(image, sector).order(order);
        t.put((byte) 1);                                       // identifier length
        t.put((byte) 0);                                       // extended attribute record length
        t.putInt(rootSector);
        t.putShort((short) 1);                                 // parent directory number
        t.put((byte) 0);                                       // the root's identifier, then a pad byte to even length
    }

    /** "." and "..", both the root itself, then the files in the order of their identifiers' bytes, as ISO 9660 sorts. */
    private static void rootDirectory(ByteBuffer image, int sector, List<Extent> extents, Identifier identifier) {
        ByteBuffer dir = slice(image, sector);
        int at = directoryRecord(dir, 0, new byte[] {0}, sector, SECTOR, DIRECTORY_FLAG);
        at += directoryRecord(dir, at, new byte[] {1}, sector, SECTOR, DIRECTORY_FLAG);
        List<Extent> sorted = new ArrayList<>(extents);
        sorted.sort(Comparator.comparing(identifier::of, Arrays::compareUnsigned));
        for (Extent extent : sorted) {
            at += directoryRecord(dir, at, identifier.of(extent), extent.sector, extent.file.content.length, (byte) 0);
        }
        if (at > SECTOR) {
            throw new IllegalArgumentException("too many seed files for one directory sector");
        }
    }

    /** Writes a directory record at {@code at} and returns its length. */
    private static int directoryRecord(ByteBuffer b, int at, byte[] identifier, int sector, int length, byte flags) {
        // Records are of even length: a pad byte follows an identifier of even length.
        int recordLength = 33 + identifier.length + (identifier.length % 2 == 0 ? 1 : 0);
        if (at + recordLength > b.capacity()) {
            throw new IllegalArgumentException("too many seed files for one directory sector");
        }
        b.put(at, (byte) recordLength);
        b.put(at + 1, (byte) 0);                               // extended attribute record length
        bothEndian32(b, at + 2, sector);
        bothEndian32(b, at + 10, length);
        b.put(at + 18, RECORD_DATE);
        b.put(at + 25, flags);
        b.put(at + 26, (byte) 0);                              // file unit size: not interleaved
        b.put(at + 27, (byte) 0);                              // interleave gap
        bothEndian16(b, at + 28, 1);                           // volume sequence number
        b.put(at + 32, (byte) identifier.length);
        b.put(at + 33, identifier);
        return recordLength;
    }

    /** A text field padded with spaces: ASCII in the primary descriptor, UCS-2 big-endian in Joliet's. */
    private static byte[] text(boolean joliet, String value, int fieldBytes) {
        byte[] field = new byte[fieldBytes];
        if (joliet) {
            for (int i = 0; i + 1 < fieldBytes; i += 2) {
                char c = i / 2 < value.length() ? value.charAt(i / 2) : ' ';
                field[i] = (byte) (c >> 8);
                field[i + 1] = (byte) c;
            }
            // An odd-sized field (the 37-byte file identifiers) ends in a zero byte.
        } else {
            Arrays.fill(field, (byte) ' ');
            byte[] ascii = value.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(ascii, 0, field, 0, ascii.length);
        }
        return field;
    }

    private static ByteBuffer slice(ByteBuffer image, int sector) {
        return image.slice(sector * SECTOR, SECTOR);
    }

    /** ISO 9660 writes most numbers twice: little-endian, then big-endian. */
    private static void bothEndian32(ByteBuffer b, int at, int value) {
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        b.order(ByteOrder.BIG_ENDIAN).putInt(at + 4, value);
    }

    private static void bothEndian16(ByteBuffer b, int at, int value) {
        b.order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) value);
        b.order(ByteOrder.BIG_ENDIAN).putShort(at + 2, (short) value);
    }
}
