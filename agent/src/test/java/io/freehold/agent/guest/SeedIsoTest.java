package io.freehold.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seed image read back by real tools: {@code isoinfo} (Debian's genisoimage, which scripts/test.sh installs) for
 * the volume descriptors and both directory trees, and util-linux's {@code blkid}, the prober cloud-init finds the
 * {@code cidata} disk with. The byte-level checks pin what those tools are lenient about.
 */
class SeedIsoTest {

    private static final byte[] META_DATA = "instance-id: \"i-1\"\nlocal-hostname: \"web-1\"\n".getBytes(StandardCharsets.UTF_8);
    /** More than one sector, so a file's extent spans sectors and the next file starts after it. */
    private static final byte[] USER_DATA = ("#cloud-config\n" + "# padding line\n".repeat(200)).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    @Test
    void isoinfoReadsTheLabelsAndJolietNames() throws Exception {
        Path iso = seed();

        String descriptor = run("isoinfo", "-d", "-i", iso.toString());
        assertThat(descriptor).contains("Volume id: CIDATA").contains("Logical block size is: 2048")
                .contains("Volume size is: " + Files.size(iso) / SeedIso.SECTOR)
                .contains("Joliet with UCS level 3 found");

        String jolietListing = run("isoinfo", "-J", "-l", "-i", iso.toString());
        assertThat(jolietListing).contains(" meta-data").contains(" user-data");
        assertThat(run("isoinfo", "-l", "-i", iso.toString())).contains("META_DATA.;1").contains("USER_DATA.;1");
    }

    @Test
    void isoinfoExtractsEachFileByItsJolietName() throws Exception {
        Path iso = seed();

        assertThat(runBytes("isoinfo", "-J", "-x", "/meta-data", "-i", iso.toString())).isEqualTo(META_DATA);
        assertThat(runBytes("isoinfo", "-J", "-x", "/user-data", "-i", iso.toString())).isEqualTo(USER_DATA);
        assertThat(runBytes("isoinfo", "-x", "/USER_DATA.;1", "-i", iso.toString())).as("the primary tree")
                .isEqualTo(USER_DATA);
    }

    @Test
    void blkidSaysItIsAnIso9660VolumeLabelledCidata() throws Exception {
        Path iso = seed();

        assertThat(run("blkid", "-p", "-o", "value", "-s", "TYPE", iso.toString()).strip()).isEqualTo("iso9660");
        assertThat(run("blkid", "-p", "-o", "value", "-s", "LABEL", iso.toString()).strip()).isEqualTo("cidata");
    }

    /** isoinfo -d shows only the primary descriptor's label; blkid (above) reads Joliet's. */
    @Test
    void theJolietLabelIsLowerCaseUcs2() {
        byte[] image = SeedIso.image("cidata", files());

        assertThat(new String(image, 17 * 2048 + 40, 32, StandardCharsets.UTF_16BE)).isEqualTo("cidata" + " ".repeat(10));
        assertThat(new String(image, 16 * 2048 + 40, 32, StandardCharsets.US_ASCII)).isEqualTo("CIDATA" + " ".repeat(26));
    }

    @Test
    void theDescriptorsAndPathTablesAreWhereTheRootDirectoriesSayAndBothEndiansAgree() {
        byte[] image = SeedIso.image("cidata", files());
        ByteBuffer b = ByteBuffer.wrap(image);

        assertThat(Arrays.copyOfRange(image, 16 * 2048, 16 * 2048 + 6)).isEqualTo("\1CD001".getBytes(StandardCharsets.US_ASCII));
        assertThat(Arrays.copyOfRange(image, 17 * 2048, 17 * 2048 + 6)).isEqualTo("\2CD001".getBytes(StandardCharsets.US_ASCII));
        assertThat(Arrays.copyOfRange(image, 18 * 2048, 18 * 2048 + 7)).isEqualTo("\377CD001\1".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(image.length % 2048).isZero();
        for (int descriptor : new int[] {16, 17}) {
            int base = descriptor * 2048;
            assertThat(le32(b, base + 80)).isEqualTo(be32(b, base + 84)).isEqualTo(image.length / 2048);
            int rootSector = le32(b, base + 156 + 2);
            assertThat(be32(b, base + 156 + 6)).isEqualTo(rootSector);
            int lTable = le32(b, base + 140);
            int mTable = be32(b, base + 148);
            assertThat(le32(b, lTable * 2048 + 2)).as("L path table names the root").isEqualTo(rootSector);
            assertThat(be32(b, mTable * 2048 + 2)).as("M path table names the root").isEqualTo(rootSector);
            assertThat(image[rootSector * 2048 + 33]).as("'.' first").isEqualTo((byte) 0);
        }
    }

    /** ISO 9660 wants a directory's records in the order of their identifiers, whatever order the files came in. */
    @Test
    void theRootDirectoriesListTheFilesInTheOrderOfTheirNames() {
        byte[] image = SeedIso.image("cidata", files());

        assertThat(identifiers(image, 23, StandardCharsets.US_ASCII)).containsExactly("META_DATA.;1", "USER_DATA.;1");
        assertThat(identifiers(image, 24, StandardCharsets.UTF_16BE)).containsExactly("meta-data", "user-data");
    }

    /** The identifiers of a directory's records after "." and "..". */
    private static List<String> identifiers(byte[] image, int sector, Charset charset) {
        List<String> names = new ArrayList<>();
        int at = sector * 2048;
        for (int record = 0; image[at] != 0; record++, at += image[at]) {
            if (record >= 2) {
                names.add(new String(image, at + 33, image[at + 32], charset));
            }
        }
        return names;
    }

    @Test
    void theSameFilesAlwaysGiveTheSameBytes() {
        assertThat(SeedIso.image("cidata", files())).isEqualTo(SeedIso.image("cidata", files()));
        assertThat(SeedIso.image("cidata", files()))
                .isNotEqualTo(SeedIso.image("cidata", List.of(new SeedIso.File("meta-data", META_DATA))));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"meta-data, META_DATA.;1", "user-data, USER_DATA.;1", "vendor.cfg, VENDOR.CFG;1", "a_b, A_B.;1"})
    void primaryNamesAreUpperCaseDCharactersWithAVersion(String name, String primary) {
        assertThat(SeedIso.primaryName(name)).isEqualTo(primary);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "upper case      | Meta-data",
            "a slash         | a/b",
            "empty           | ''",
            "leading dot     | .hidden",
            "too long        | abcdefghijklmnopqrstuvwxyz12345",
    })
    void namesThatCannotBeWrittenAreRefused(String caseName, String name) {
        assertThatThrownBy(() -> new SeedIso.File(name, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesThatCollideInThePrimaryTreeAreRefused() {
        assertThatThrownBy(() -> SeedIso.image("cidata", List.of(new SeedIso.File("a-b", new byte[0]),
                new SeedIso.File("a_b", new byte[0])))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ");
    }

    private Path seed() throws Exception {
        assumeTrue(onPath("isoinfo") && onPath("blkid"), "isoinfo (genisoimage) or blkid (util-linux) is not installed; "
                + "the seed image is not read back by real tools");
        return Files.write(tmp.resolve("seed.iso"), SeedIso.image("cidata", files()));
    }

    private static List<SeedIso.File> files() {
        return List.of(new SeedIso.File("user-data", USER_DATA), new SeedIso.File("meta-data", META_DATA));
    }

    private static int le32(ByteBuffer b, int at) {
        return b.order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    private static int be32(ByteBuffer b, int at) {
        return b.order(ByteOrder.BIG_ENDIAN).getInt(at);
    }

    private static String run(String... command) throws Exception {
        return new String(runBytes(command), StandardCharsets.UTF_8);
    }

    private static byte[] runBytes(String... command) throws Exception {
        String[] resolved = command.clone();
        resolved[0] = locate(command[0]).toString();
        Process process = new ProcessBuilder(resolved).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s", String.join(" ", command)).isZero();
        return output;
    }

    static boolean onPath(String command) {
        return locate(command) != null;
    }

    /** Where the command is, also in the sbin directories a non-root PATH lacks (blkid lives in /sbin). */
    private static Path locate(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/sbin" + File.pathSeparator + "/usr/sbin";
        return Arrays.stream(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, command)).filter(Files::isExecutable).findFirst().orElse(null);
    }
}
