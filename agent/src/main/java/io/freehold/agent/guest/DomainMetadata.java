package io.freehold.agent.guest;

import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads back the {@code <freehold:instance>} element that {@link DomainXml} writes into a domain's metadata, as libvirt
 * returns it from {@code virDomainGetMetadata}. libvirt hands the element back without its namespace prefix, so
 * children are matched by local name.
 *
 * <p>The agent reads every guest's metadata at every look, so this is a streaming read with one factory made once: a
 * DOM parser built per call cost more CPU than everything else an agent does (docs/performance.md).
 */
final class DomainMetadata {

    /** Configured once and only read afterwards, which makes it safe to share between threads. */
    private static final XMLInputFactory XML = secureFactory();

    /**
     * What a defined domain records about the spec it realises. {@code tenantId} and {@code imageId} are empty and
     * {@code rootDiskGib} 0 for a definition that does not record them; a guest without an image records none.
     */
    record Recorded(String instanceId, String tenantId, long generation, long rebootCount, long rootDiskGib,
                    String imageId) {
    }

    private DomainMetadata() {
    }

    /** @throws IllegalArgumentException naming what is wrong, when the text is not a readable Freehold element */
    static Recorded parse(String xml) {
        Map<String, String> children = children(xml);
        String id = children.get("id");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("it has no instance id");
        }
        String tenant = children.get("tenant");
        String rebootCount = children.get("rebootCount");
        String rootDiskGib = children.get("rootDiskGib");
        String image = children.get("image");
        // Definitions written before the reboot counter existed have none: no reboot has been realised. Those written
        // before the disk size was recorded say nothing about it, which reads as 0.
        return new Recorded(id, tenant == null ? "" : tenant, number("generation", children.get("generation")),
                rebootCount == null ? 0 : number("rebootCount", rebootCount),
                rootDiskGib == null ? 0 : number("rootDiskGib", rootDiskGib), image == null ? "" : image);
    }

    /** The text of each child element of {@code <instance>} by local name (the first of a name), stripped. */
    private static Map<String, String> children(String xml) {
        Map<String, String> children = new HashMap<>();
        try {
            XMLStreamReader reader = XML.createXMLStreamReader(new StringReader(xml));
            try {
                int depth = 0;
                String child = null;
                StringBuilder text = new StringBuilder();
                while (reader.hasNext()) {
                    switch (reader.next()) {
                        case XMLStreamConstants.START_ELEMENT -> {
                            depth++;
                            if (depth == 1 && !"instance".equals(reader.getLocalName())) {
                                throw new IllegalArgumentException("the element is <" + reader.getLocalName() + ">, not <instance>");
                            }
                            if (depth == 2) {
                                child = reader.getLocalName();
                                text.setLength(0);
                            }
                        }
                        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                            if (depth >= 2) {
                                text.append(reader.getText());
                            }
                        }
                        case XMLStreamConstants.END_ELEMENT -> {
                            if (depth == 2) {
                                children.putIfAbsent(child, text.toString().strip());
                            }
                            depth--;
                        }
                        default -> {
                        }
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
        }
        return children;
    }

    /** No DTDs and no external entities: the metadata is Freehold's own element, nothing in it needs either. */
    private static XMLInputFactory secureFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return factory;
    }

    private static long number(String field, String text) {
        String value = text == null ? "" : text;
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("its " + field + " '" + value + "' is not a number", e);
        }
    }
}
