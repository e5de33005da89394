package io.freehold.agent.guest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two files of a cloud-init NoCloud seed, as text: {@code meta-data} names the instance and its host name, and
 * {@code user-data} carries the SSH keys and the tenant's own user data. Pure: the same seed always gives the same text,
 * so a seed is rewritten only when it says something else.
 *
 * <p>Every value is written as a YAML double-quoted scalar with everything outside YAML's printable set escaped, so no
 * key or host name can end its line and add configuration of its own.
 */
final class CloudInitSeedFiles {

    static final String META_DATA = "meta-data";
    static final String USER_DATA = "user-data";

    /**
     * What cloud-init takes a part to be from how it starts ({@code cloudinit/handlers/__init__.py}: the text lower-cased
     * and stripped of leading white space, longest prefix first). Earlier versions also knew {@code #upstart-job}, for
     * an init system no current distribution ships.
     */
    private static final List<Map.Entry<String, String>> STARTS_WITH = List.of(
            Map.entry("#cloud-config-archive", "text/cloud-config-archive"),
            Map.entry("## template: jinja", "text/jinja2"),
            Map.entry("#cloud-config-jsonp", "text/cloud-config-jsonp"),
            Map.entry("#cloud-boothook", "text/cloud-boothook"),
            Map.entry("#include-once", "text/x-include-once-url"),
            Map.entry("#part-handler", "text/part-handler"),
            Map.entry("#cloud-config", "text/cloud-config"),
            Map.entry("#include", "text/x-include-url"),
            Map.entry("#!", "text/x-shellscript"));
    /** What cloud-init calls a part it cannot place; it looks at such a part's first line again itself. */
    private static final String UNKNOWN_TYPE = "text/plain";
    /** cloud-init parses user data as MIME when this occurs in its first 4096 bytes, lower-cased. */
    private static final String MIME_MARK = "mime-version:";
    private static final int MIME_MARK_WINDOW = 4096;
    private static final String BOUNDARY = "==freehold-seed==";

    private CloudInitSeedFiles() {
    }

    /** {@code meta-data}: the instance id (cloud-init runs its once-per-instance steps again when it changes) and host name. */
    static String metaData(String instanceId, String hostname) {
        StringBuilder yaml = new StringBuilder("instance-id: ").append(quoted(instanceId)).append('\n');
        if (!hostname.isEmpty()) {
            yaml.append("local-hostname: ").append(quoted(hostname)).append('\n');
        }
        return yaml.toString();
    }

    /**
     * {@code user-data}: the SSH keys as a cloud-config when the tenant gave no user data of their own; otherwise a MIME
     * multipart message of that cloud-config and their user data, which cloud-init takes apart and applies both of.
     */
    static String userData(List<String> sshAuthorizedKeys, String tenantUserData) {
        String keys = keysConfig(sshAuthorizedKeys);
        if (tenantUserData.isEmpty()) {
            return keys;
        }
        String keysPart = part("text/cloud-config", "freehold-ssh-keys.cfg", keys);
        String tenantPart = isMime(tenantUserData) ? tenantUserData : part(contentType(tenantUserData), USER_DATA, tenantUserData);
        String boundary = boundaryAbsentFrom(keysPart + tenantPart);
        String delimiter = "--" + boundary + "\n";
        return "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\n"
                + "MIME-Version: 1.0\n"
                + "\n"
                + delimiter + keysPart + "\n"
                + delimiter + tenantPart + "\n"
                + "--" + boundary + "--\n";
    }

    /** The content type cloud-init would give user data that starts this way. */
    static String contentType(String userData) {
        String start = userData.toLowerCase(Locale.ROOT).stripLeading();
        return STARTS_WITH.stream().filter(entry -> start.startsWith(entry.getKey())).map(Map.Entry::getValue).findFirst()
                .orElse(UNKNOWN_TYPE);
    }

    /**
     * A YAML double-quoted scalar of the text. Escaped: the quote and backslash, and everything YAML does not print
     * (control characters, the byte order mark) or takes for a line break (NEL, U+2028, U+2029).
     */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (printable(c)) {
                out.appendCodePoint(c);
            } else if (c <= 0xFF) {
                out.append(String.format("\\x%02X", c));
            } else if (c <= 0xFFFF) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.append(String.format("\\U%08X", c));
            }
        });
        return out.append('"').toString();
    }

    private static boolean printable(int c) {
        return (c >= 0x20 && c <= 0x7E)
                || (c >= 0xA0 && c <= 0xD7FF && c != 0x2028 && c != 0x2029)
                || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF)
                || c >= 0x10000;
    }

    private static String keysConfig(List<String> keys) {
        if (keys.isEmpty()) {
            return "#cloud-config\nssh_authorized_keys: []\n";
        }
        StringBuilder yaml = new StringBuilder("#cloud-config\nssh_authorized_keys:\n");
        keys.forEach(key -> yaml.append("  - ").append(quoted(key)).append('\n'));
        return yaml.toString();
    }

    /**
     * One part, base64-encoded as cloud-init's own {@code make-mime} writes it. Python's email parser, which cloud-init
     * uses, hands back the body of a part without a transfer encoding mangled when it is not ASCII; base64 keeps every
     * byte.
     */
    private static String part(String contentType, String fileName, String body) {
        return "Content-Type: " + contentType + "; charset=\"utf-8\"\n"
                + "MIME-Version: 1.0\n"
                + "Content-Transfer-Encoding: base64\n"
                + "Content-Disposition: attachment; filename=\"" + fileName + "\"\n"
                + "\n"
                + Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A tenant who wrote a MIME message of their own gets it as a part as it is: its headers become the part's, and
     * cloud-init walks into it as into any nested multipart.
     */
    private static boolean isMime(String userData) {
        String start = userData.substring(0, Math.min(userData.length(), MIME_MARK_WINDOW));
        return start.toLowerCase(Locale.ROOT).contains(MIME_MARK);
    }

    /**
     * A base64 body can never hold the boundary ({@code -} is not a base64 character), but a tenant's
     * own MIME message, included as it is, might: then a counter is added until it does not occur.
     */
    private static String boundaryAbsentFrom(String body) {
        String boundary = BOUNDARY;
        for (int n = 1; body.contains(boundary); n++) {
            boundary = BOUNDARY + n;
        }
        return boundary;
    }
}
