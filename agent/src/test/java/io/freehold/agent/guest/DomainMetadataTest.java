package io.freehold.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DomainMetadataTest {

    @Test
    void readsTheElementAsLibvirtReturnsItWithoutItsPrefix() {
        String xml = "<instance>\n  <id>i-1</id>\n  <generation>7</generation>\n  <tenant>t-1</tenant>\n"
                + "  <name>web</name>\n  <rebootCount>2</rebootCount>\n  <rootDiskGib>40</rootDiskGib>\n"
                + "  <image>img-debian-12</image>\n</instance>\n";

        assertThat(DomainMetadata.parse(xml)).isEqualTo(new DomainMetadata.Recorded("i-1", "t-1", 7, 2, 40, "img-debian-12"));
    }

    @Test
    void readsTheElementAsDomainXmlWritesIt() {
        GuestSpec spec = GuestSpecs.golden(DomainType.QEMU).generation(5).rebootCount(9).rootDiskGib(30)
                .boot(new GuestSpec.Boot.Overlay("img-1", Path.of("/var/lib/freehold/agent/images/base"))).build();
        String rendered = DomainXml.render(spec);
        String element = rendered.substring(rendered.indexOf("<freehold:instance"),
                rendered.indexOf("</freehold:instance>") + "</freehold:instance>".length());

        assertThat(DomainMetadata.parse(element)).isEqualTo(
                new DomainMetadata.Recorded(GuestSpecs.INSTANCE_ID, "t-01jdbyx4g7e2m9c5k8n3p6q1r0", 5, 9, 30, "img-1"));
    }

    @Test
    void aDefinitionFromBeforeTheRebootCounterTheDiskSizeAndImagesHasRealisedNoRebootAndSaysNoSizeNorImage() {
        DomainMetadata.Recorded recorded = DomainMetadata.parse("<instance><id>i-1</id><generation>1</generation></instance>");

        assertThat(recorded.rebootCount()).isZero();
        assertThat(recorded.rootDiskGib()).isZero();
        assertThat(recorded.tenantId()).isEmpty();
        assertThat(recorded.imageId()).isEmpty();
    }

    @Test
    void aGuestWithoutAnImageRecordsNone() {
        String rendered = DomainXml.render(GuestSpecs.golden(DomainType.QEMU).build());

        assertThat(rendered).doesNotContain("<freehold:image>");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not XML             | <instance><id>i-1        | not well-formed XML",
            "an external entity  | <!DOCTYPE instance [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><instance><id>&x;</id><generation>1</generation></instance> | not well-formed XML",
            "another element     | <guest><id>i-1</id></guest> | the element is <guest>, not <instance>",
            "no id               | <instance><generation>1</generation></instance> | it has no instance id",
            "no generation       | <instance><id>i-1</id></instance> | its generation '' is not a number",
            "generation of words | <instance><id>i-1</id><generation>three</generation></instance> | its generation 'three' is not a number",
            "disk size of words  | <instance><id>i-1</id><generation>1</generation><rootDiskGib>big</rootDiskGib></instance> | its rootDiskGib 'big' is not a number",
    })
    void unreadableMetadataSaysWhy(String caseName, String xml, String message) {
        assertThatThrownBy(() -> DomainMetadata.parse(xml)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
