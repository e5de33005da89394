package io.freehold.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The seed's text as cloud-init reads it: YAML through SnakeYAML (YAML 1.1, like the PyYAML cloud-init uses), the MIME
 * message taken apart as Python's email parser does it for this shape (boundary lines, headers, base64 bodies).
 */
class CloudInitSeedFilesTest {

    private static final Yaml YAML = new Yaml(new SafeConstructor(new LoaderOptions()));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "cloud-config                     | #cloud-config\\nruncmd: [ls]      | text/cloud-config",
            "upper case and leading space     | `  \\n#Cloud-Config\\n`          | text/cloud-config",
            "archive before its prefix        | #cloud-config-archive\\n- a      | text/cloud-config-archive",
            "jsonp                            | #cloud-config-jsonp\\n[]         | text/cloud-config-jsonp",
            "shell script                     | #!/bin/sh\\necho hi              | text/x-shellscript",
            "python script                    | #!/usr/bin/env python3          | text/x-shellscript",
            "include                          | #include\\nhttp://x/y            | text/x-include-url",
            "include-once before its prefix   | #include-once\\nhttp://x/y       | text/x-include-once-url",
            "boothook                         | #cloud-boothook\\necho           | text/cloud-boothook",
            "part handler                     | #part-handler\\ndef list_types() | text/part-handler",
            "jinja template                   | ## template: jinja\\n#cloud-config | text/jinja2",
            "plain text                       | hello                           | text/plain",
            "a comment is not a type          | # just a comment                | text/plain",
            "the mark later on                | echo\\n#!/bin/sh                 | text/plain",
    })
    void userDataIsTypedAsCloudInitTypesIt(String caseName, String userData, String type) {
        assertThat(CloudInitSeedFiles.contentType(unescape(userData))).isEqualTo(type);
    }

    static Stream<Arguments> hostileValues() {
        return Stream.of(
                arguments("plain", "web-1"),
                arguments("YAML indicators", "- a: b, [c] {d} &e *f !g |h >i %j @k"),
                arguments("a quote and a backslash", "say \"hi\" \\ bye"),
                arguments("a comment", "x # not a comment"),
                arguments("a line break and a key", "a\nssh_pwauth: true"),
                arguments("tab and carriage return", "a\tb\rc"),
                arguments("NUL and escape", "\u0000\u001b[31m"),
                arguments("YAML 1.1's other line breaks", "a\u0085b\u2028c\u2029d"),
                arguments("byte order mark", "\uFEFFx"),
                arguments("non-ASCII, beyond the BMP too", "Ünïcødé 名前 😀"),
                arguments("a word YAML 1.1 reads as a boolean", "yes"),
                arguments("a word YAML reads as a number", "0x1F"),
                arguments("empty", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileValues")
    void everyValueReadsBackAsItselfAndStaysOnItsLine(String caseName, String value) {
        String yaml = "key: " + CloudInitSeedFiles.quoted(value) + "\n";

        assertThat(yaml.lines().count()).as("one line").isEqualTo(1);
        assertThat(yaml).doesNotContain("\r", "\u0085", "\u2028", "\u2029");
        assertThat(YAML.<Map<String, Object>>load(yaml)).containsExactly(Map.entry("key", value));
    }

    @Test
    void metaDataNamesTheInstanceAndItsHost() {
        assertThat(CloudInitSeedFiles.metaData("i-01abc", "web-1"))
                .isEqualTo("instance-id: \"i-01abc\"\nlocal-hostname: \"web-1\"\n");
        assertThat(CloudInitSeedFiles.metaData("i-01abc", "")).as("no host name: cloud-init picks one")
                .isEqualTo("instance-id: \"i-01abc\"\n");
    }

    @Test
    void withoutTenantUserDataTheUserDataIsTheKeysAsCloudConfig() {
        String userData = CloudInitSeedFiles.userData(List.of("ssh-ed25519 AAAAC3Nz alice@laptop", "ssh-rsa AAAAB3 bob"), "");

        assertThat(userData).isEqualTo("#cloud-config\nssh_authorized_keys:\n  - \"ssh-ed25519 AAAAC3Nz alice@laptop\"\n"
                + "  - \"ssh-rsa AAAAB3 bob\"\n");
        assertThat(YAML.<Map<String, Object>>load(userData)).containsExactly(
                Map.entry("ssh_authorized_keys", List.of("ssh-ed25519 AAAAC3Nz alice@laptop", "ssh-rsa AAAAB3 bob")));
        assertThat(CloudInitSeedFiles.userData(List.of(), "")).isEqualTo("#cloud-config\nssh_authorized_keys: []\n");
    }

    @Test
    void aKeyCannotAddConfigurationOfItsOwn() {
        String hostile = "ssh-ed25519 AAAA x\nruncmd: [\"rm -rf /\"]";

        Map<String, Object> config = YAML.load(CloudInitSeedFiles.userData(List.of(hostile), ""));

        assertThat(config).containsOnlyKeys("ssh_authorized_keys");
        assertThat(config.get("ssh_authorized_keys")).isEqualTo(List.of(hostile));
    }

    @Test
    void tenantUserDataComesAsTheSecondPartOfAMultipartMessageWithItsOwnType() {
        String script = "#!/bin/sh\necho 'Grüße' > /tmp/hello\n";

        String message = CloudInitSeedFiles.userData(List.of("ssh-ed25519 AAAA k"), script);

        assertThat(message).startsWith("Content-Type: multipart/mixed; boundary=\"==freehold-seed==\"\nMIME-Version: 1.0\n\n");
        List<Part> parts = Part.split(message);
        assertThat(parts).extracting(Part::contentType).containsExactly("text/cloud-config", "text/x-shellscript");
        assertThat(parts.get(0).body()).isEqualTo("#cloud-config\nssh_authorized_keys:\n  - \"ssh-ed25519 AAAA k\"\n");
        assertThat(parts.get(1).body()).as("every byte, non-ASCII too").isEqualTo(script);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a cloud-config         | #cloud-config\\npackages: [nginx]  | text/cloud-config",
            "an include             | #include\\nhttp://10.0.0.1/x       | text/x-include-url",
            "a boothook             | #cloud-boothook\\necho            | text/cloud-boothook",
            "anything else          | just words                       | text/plain",
    })
    void theSecondPartIsTypedFromItsStart(String caseName, String userData, String type) {
        List<Part> parts = Part.split(CloudInitSeedFiles.userData(List.of(), unescape(userData)));

        assertThat(parts.get(1).contentType()).isEqualTo(type);
        assertThat(parts.get(1).body()).isEqualTo(unescape(userData));
    }

    @Test
    void aTenantsOwnMimeMessageIsNestedAsItIsUnderABoundaryItDoesNotContain() {
        String tenant = "Content-Type: multipart/mixed; boundary=\"==freehold-seed==\"\nMIME-Version: 1.0\n\n"
                + "--==freehold-seed==\nContent-Type: text/x-shellscript\n\n#!/bin/sh\necho nested\n--==freehold-seed==--\n";

        String message = CloudInitSeedFiles.userData(List.of(), tenant);

        assertThat(message).startsWith("Content-Type: multipart/mixed; boundary=\"==freehold-seed==1\"\n");
        assertThat(message).contains("\n--==freehold-seed==1\n" + tenant + "\n--==freehold-seed==1--\n");
        assertThat(message.split("\n--==freehold-seed==1\n", -1)).as("two parts").hasSize(3);
    }

    @Test
    void theSameSeedAlwaysGivesTheSameText() {
        assertThat(CloudInitSeedFiles.userData(List.of("k"), "#!/bin/sh\n"))
                .isEqualTo(CloudInitSeedFiles.userData(List.of("k"), "#!/bin/sh\n"));
    }

    /** "\n" in a CSV cell stands for a line break. */
    private static String unescape(String cell) {
        return cell.replace("\\n", "\n");
    }

    /** One part of a multipart message of this renderer's shape: its media type and its base64-decoded body. */
    private record Part(String contentType, String body) {

        private static final Pattern BOUNDARY = Pattern.compile("boundary=\"([^\"]+)\"");

        static List<Part> split(String message) {
            Matcher boundary = BOUNDARY.matcher(message.lines().findFirst().orElseThrow());
            assertThat(boundary.find()).as("a boundary in %s", message).isTrue();
            String delimiter = "\n--" + boundary.group(1);
            String[] pieces = message.split(Pattern.quote(delimiter), -1);
            assertThat(pieces[pieces.length - 1]).as("the close delimiter ends the message").isEqualTo("--\n");
            List<Part> parts = new ArrayList<>();
            for (int i = 1; i < pieces.length - 1; i++) {
                String piece = pieces[i].substring(1);
                int blank = piece.indexOf("\n\n");
                String headers = piece.substring(0, blank);
                assertThat(headers).contains("Content-Transfer-Encoding: base64");
                String type = headers.lines().filter(h -> h.startsWith("Content-Type: ")).findFirst().orElseThrow()
                        .substring("Content-Type: ".length()).split(";")[0];
                byte[] body = Base64.getMimeDecoder().decode(piece.substring(blank + 2));
                parts.add(new Part(type, new String(body, StandardCharsets.UTF_8)));
            }
            return parts;
        }
    }
}
