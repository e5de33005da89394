package io.freehold.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

class DomainXmlTest {

    @ParameterizedTest(name = "{0} matches guest/{0}.xml")
    @EnumSource(DomainType.class)
    void rendersTheGoldenFile(DomainType type) throws IOException {
        String expected = golden(type.xmlName() + ".xml");

        assertThat(DomainXml.render(GuestSpecs.golden(type).build())).isEqualTo(expected);
    }

    @Test
    void rendersTheGoldenFilesOfImageBoots() throws IOException {
        assertThat(DomainXml.render(GuestSpecs.overlay().build())).isEqualTo(golden("overlay.xml"));
        assertThat(DomainXml.render(GuestSpecs.kernel().build())).isEqualTo(golden("kernel.xml"));
    }

    @Test
    void aKernelBootNamesTheCachedKernelAndInitrdAndTheImagesCommandLine() throws Exception {
        Dom dom = Dom.parse(DomainXml.render(GuestSpecs.kernel().build()));

        assertThat(dom.text("/domain/os/type")).isEqualTo("hvm");
        assertThat(dom.text("/domain/os/kernel")).isEqualTo(GuestSpecs.IMAGES.resolve("9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b").toString());
        assertThat(dom.text("/domain/os/initrd")).isEqualTo(GuestSpecs.IMAGES.resolve("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0").toString());
        assertThat(dom.text("/domain/os/cmdline")).isEqualTo("console=ttyS0 root=/dev/vda quiet");
        assertThat(dom.text("/domain/metadata/fh:instance/fh:image")).isEqualTo("img-01jdc0tiny");
        assertThat(dom.text("/domain/devices/disk[1]/source/@file")).as("the root disk is the instance's own")
                .isEqualTo(GuestSpecs.GUEST_DIR.resolve("root.qcow2").toString());
    }

    @Test
    void anEmptyCommandLineIsLeftOutAndAHostileOneStaysText() throws Exception {
        GuestSpec.Boot.Kernel plain = new GuestSpec.Boot.Kernel("img-1", Path.of("/k"), Path.of("/i"), "");
        assertThat(Dom.parse(DomainXml.render(GuestSpecs.golden(DomainType.QEMU).boot(plain).build())).count("/domain/os/cmdline"))
                .isZero();

        String hostile = "console=ttyS0 </cmdline><kernel>/etc/shadow</kernel> & \"'";
        GuestSpec.Boot.Kernel odd = new GuestSpec.Boot.Kernel("img-1", Path.of("/k"), Path.of("/i"), hostile);
        Dom dom = Dom.parse(DomainXml.render(GuestSpecs.golden(DomainType.QEMU).boot(odd).build()));
        assertThat(dom.text("/domain/os/cmdline")).isEqualTo(hostile);
        assertThat(dom.count("/domain/os/kernel")).isEqualTo(1);
        assertThat(dom.text("/domain/os/kernel")).isEqualTo("/k");
    }

    @Test
    void theSeedIsASecondReadOnlyRawVirtioDiskAndAGuestWithoutOneHasOneDisk() throws Exception {
        Dom seeded = Dom.parse(DomainXml.render(GuestSpecs.overlay().build()));

        assertThat(seeded.count("/domain/devices/disk")).isEqualTo(2);
        assertThat(seeded.text("/domain/devices/disk[2]/source/@file")).isEqualTo(GuestSpecs.GUEST_DIR.resolve("seed.iso").toString());
        assertThat(seeded.text("/domain/devices/disk[2]/driver/@type")).isEqualTo("raw");
        assertThat(seeded.text("/domain/devices/disk[2]/target/@dev")).isEqualTo("vdb");
        assertThat(seeded.text("/domain/devices/disk[2]/target/@bus")).isEqualTo("virtio");
        assertThat(seeded.count("/domain/devices/disk[2]/readonly")).isEqualTo(1);
        assertThat(seeded.count("/domain/devices/disk[1]/readonly")).as("the root disk is writable").isZero();
        assertThat(seeded.count("/domain/os/kernel")).as("an overlay boots from its disk").isZero();

        Dom unseeded = Dom.parse(DomainXml.render(GuestSpecs.overlay().seed(null).build()));
        assertThat(unseeded.count("/domain/devices/disk")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DomainType.class)
    void aDomainHasTheShapeOfRecord(DomainType type) throws Exception {
        GuestSpec spec = GuestSpecs.golden(type).vcpus(3).memoryMib(1536).generation(7).rebootCount(4).rootDiskGib(40).build();
        Dom dom = Dom.parse(DomainXml.render(spec));

        assertThat(dom.text("/domain/@type")).isEqualTo(type.xmlName());
        assertThat(dom.text("/domain/name")).isEqualTo(GuestSpecs.INSTANCE_ID);
        assertThat(dom.text("/domain/uuid")).isEqualTo(GuestIdentifiers.domainUuid(GuestSpecs.INSTANCE_ID).toString());
        assertThat(dom.text("/domain/metadata/fh:instance/fh:id")).isEqualTo(GuestSpecs.INSTANCE_ID);
        assertThat(dom.text("/domain/metadata/fh:instance/fh:generation")).isEqualTo("7");
        assertThat(dom.text("/domain/metadata/fh:instance/fh:rebootCount")).isEqualTo("4");
        assertThat(dom.text("/domain/metadata/fh:instance/fh:rootDiskGib")).isEqualTo("40");
        assertThat(dom.text("/domain/memory")).isEqualTo("1572864");
        assertThat(dom.text("/domain/memory/@unit")).isEqualTo("KiB");
        assertThat(dom.text("/domain/currentMemory")).isEqualTo("1572864");
        assertThat(dom.text("/domain/vcpu")).isEqualTo("3");
        assertThat(dom.text("/domain/os/type")).isEqualTo("hvm");
        assertThat(dom.text("/domain/os/type/@arch")).isEqualTo("x86_64");
        assertThat(dom.text("/domain/os/type/@machine")).isEqualTo("q35");
        assertThat(dom.count("/domain/features/acpi | /domain/features/apic")).isEqualTo(2);
        assertThat(dom.text("/domain/clock/@offset")).isEqualTo("utc");
        assertThat(dom.text("/domain/on_poweroff")).isEqualTo("destroy");
        assertThat(dom.text("/domain/on_reboot")).isEqualTo("restart");
        assertThat(dom.text("/domain/on_crash")).isEqualTo("destroy");

        assertThat(dom.count("/domain/devices/emulator")).as("libvirt picks the emulator").isZero();
        assertThat(dom.count("/domain/devices/graphics | /domain/devices/video")).as("no graphics").isZero();
        assertThat(dom.count("/domain/devices/disk")).isEqualTo(1);
        assertThat(dom.text("/domain/devices/disk/driver/@type")).isEqualTo("qcow2");
        assertThat(dom.text("/domain/devices/disk/driver/@cache")).isEqualTo("none");
        assertThat(dom.text("/domain/devices/disk/source/@file")).isEqualTo(GuestSpecs.GUEST_DIR.resolve("root.qcow2").toString());
        assertThat(dom.text("/domain/devices/disk/target/@bus")).isEqualTo("virtio");
        assertThat(dom.text("/domain/devices/interface/mac/@address")).isEqualTo(GuestIdentifiers.mac(GuestSpecs.INSTANCE_ID).text());
        assertThat(dom.text("/domain/devices/interface/source/@network")).isEqualTo("default");
        assertThat(dom.text("/domain/devices/interface/model/@type")).isEqualTo("virtio");
        assertThat(dom.text("/domain/devices/serial/@type")).isEqualTo("pty");
        assertThat(dom.text("/domain/devices/serial/log/@file")).isEqualTo(GuestSpecs.GUEST_DIR.resolve("console.log").toString());
        assertThat(dom.text("/domain/devices/console/target/@type")).isEqualTo("serial");
        assertThat(dom.text("/domain/devices/memballoon/@model")).isEqualTo("virtio");
        assertThat(dom.text("/domain/devices/rng/@model")).isEqualTo("virtio");
        assertThat(dom.text("/domain/devices/rng/backend")).isEqualTo("/dev/urandom");
    }

    @ParameterizedTest(name = "{0} -> cpu mode {1}")
    @CsvSource({"KVM, host-passthrough, ''", "QEMU, custom, Nehalem"})
    void onlyKvmGuestsGetTheHostCpu(DomainType type, String mode, String model) throws Exception {
        Dom dom = Dom.parse(DomainXml.render(GuestSpecs.golden(type).build()));

        assertThat(dom.text("/domain/cpu/@mode")).isEqualTo(mode);
        assertThat(dom.text("/domain/cpu/model")).isEqualTo(model);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "markup                | <script>alert(1)</script>",
            "entity and ampersand  | AT&T &amp; &lt;",
            "quotes                | `it's \"quoted\"`",
            "closing the metadata  | </freehold:name></freehold:instance><evil/>",
            "CDATA end             | ]]> <![CDATA[x]]>",
            "non-ASCII             | Ünïcødé 😀 名前",
    })
    void hostileValuesSurviveAsText(String caseName, String hostile) throws Exception {
        GuestSpec spec = GuestSpecs.golden(DomainType.QEMU).name(hostile).tenantId("t-\"'<&>")
                .rootDiskPath(GuestSpecs.GUEST_DIR.resolve("a\"b'c<d>&e.qcow2")).build();

        String xml = DomainXml.render(spec);
        Dom dom = Dom.parse(xml);

        assertThat(dom.text("/domain/metadata/fh:instance/fh:name")).isEqualTo(hostile);
        assertThat(dom.text("/domain/metadata/fh:instance/fh:tenant")).isEqualTo("t-\"'<&>");
        assertThat(dom.text("/domain/devices/disk/source/@file")).endsWith("a\"b'c<d>&e.qcow2");
        assertThat(dom.count("//*[local-name()='evil' or local-name()='script']")).isZero();
        assertThat(dom.count("/domain/metadata/*")).isEqualTo(1);
    }

    @ParameterizedTest(name = "kvm usable: {0} -> {1}")
    @CsvSource({"true, KVM", "false, QEMU"})
    void choosesKvmOnlyWhenItWorks(boolean kvmUsable, DomainType expected) {
        assertThat(DomainType.choose(kvmUsable)).isEqualTo(expected);
    }

    @Test
    void theSameSpecAlwaysRendersTheSameText() {
        assertThat(DomainXml.render(GuestSpecs.golden(DomainType.KVM).build()))
                .isEqualTo(DomainXml.render(GuestSpecs.golden(DomainType.KVM).build()));
    }

    static String golden(String file) throws IOException {
        try (InputStream in = DomainXmlTest.class.getResourceAsStream("/guest/" + file)) {
            return new String(Objects.requireNonNull(in, "guest/" + file).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A parsed domain queried with XPath; the prefix {@code fh} is bound to the Freehold metadata namespace. */
    private record Dom(Document document, XPath xpath) {

        static Dom parse(String xml) throws Exception {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
            XPath xpath = XPathFactory.newInstance().newXPath();
            xpath.setNamespaceContext(new SingleNamespace("fh", DomainXml.METADATA_NAMESPACE));
            return new Dom(document, xpath);
        }

        String text(String expression) throws Exception {
            return xpath.evaluate(expression, document);
        }

        int count(String expression) throws Exception {
            return ((Number) xpath.evaluate("count(" + expression + ")", document, XPathConstants.NUMBER)).intValue();
        }
    }

    private record SingleNamespace(String prefix, String uri) implements javax.xml.namespace.NamespaceContext {

        @Override
        public String getNamespaceURI(String p) {
            return prefix.equals(p) ? uri : XMLConstants.NULL_NS_URI;
        }

        @Override
        public String getPrefix(String u) {
            return uri.equals(u) ? prefix : null;
        }

        @Override
        public java.util.Iterator<String> getPrefixes(String u) {
            return uri.equals(u) ? java.util.List.of(prefix).iterator() : java.util.Collections.emptyIterator();
        }
    }
}
