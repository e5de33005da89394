package io.freehold.agent.guest;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An Ethernet address for a guest's interface, written as libvirt and {@code ip link} print it: six lower-case hex
 * octets separated by colons.
 */
public record MacAddress(String text) {

    private static final Pattern SHAPE = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    public MacAddress {
        Objects.requireNonNull(text, "mac address");
        if (!SHAPE.matcher(text).matches()) {
            throw new IllegalArgumentException("mac address '" + text + "' is not six lower-case hex octets separated by colons");
        }
        int first = HexFormat.fromHexDigits(text, 0, 2);
        if ((first & 0x01) != 0) {
            throw new IllegalArgumentException("mac address '" + text + "' is a multicast address; an interface needs a unicast one");
        }
        // libvirt gives the host side of a guest's tap device the guest's MAC with the first octet set to 0xfe, so a
        // guest address starting with fe would clash with its own tap; libvirt refuses it at define time.
        if (first == 0xfe) {
            throw new IllegalArgumentException("mac address '" + text + "' starts with fe, which libvirt reserves for tap devices");
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
