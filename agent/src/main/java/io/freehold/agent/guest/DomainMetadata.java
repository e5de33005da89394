package io.freehold.agent.guest;

import java.io.IOException;
import java.io.StringReader;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Reads back the {@code <freehold:instance>} element that {@link DomainXml} writes into a domain's metadata, as libvirt
 * returns it from {@code virDomainGetMetadata}. libvirt hands the element back without its namespace prefix, so
 * children are matched by local name.
 */
final class DomainMetadata {

    /**
     * What a defined domain records about the spec it realises. {@code tenantId} is empty and {@code rootDiskGib} 0 for a
     * definition that does not record them.
     */
    record Recorded(String instanceId, String tenantId, long generation, long rebootCount, long rootDiskGib) {
    }

    private DomainMetadata() {
    }

    /** @throws IllegalArgumentException naming what is wrong, when the text is not a readable Freehold element */
    static Recorded parse(String xml) {
        Element root;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            root = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
        }
        if (!"instance".equals(root.getLocalName())) {
            throw new IllegalArgumentException("the element is <" + root.getLocalName() + ">, not <instance>");
        }
        String id = child(root, "id");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("it has no instance id");
        }
        String tenant = child(root, "tenant");
        String rebootCount = child(root, "rebootCount");
        String rootDiskGib = child(root, "rootDiskGib");
        // Definitions written before the reboot counter existed have none: no reboot has been realised. Those written
        // before the disk size was recorded say nothing about it, which reads as 0.
        return new Recorded(id, tenant == null ? "" : tenant, number("generation", child(root, "generation")),
                rebootCount == null ? 0 : number("rebootCount", rebootCount),
                rootDiskGib == null ? 0 : number("rootDiskGib", rootDiskGib));
    }

    private static String child(Element parent, String localName) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && localName.equals(element.getLocalName())) {
                return element.getTextContent().strip();
            }
        }
        return null;
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
