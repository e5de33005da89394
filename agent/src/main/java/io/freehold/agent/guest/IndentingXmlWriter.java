package io.freehold.agent.guest;

import java.io.StringWriter;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A thin layer over {@link XMLStreamWriter} that indents by two spaces per level, so rendered domains read like the
 * ones {@code virsh dumpxml} prints and golden files diff line by line. All escaping is the stream writer's.
 */
final class IndentingXmlWriter {

    private final StringWriter out = new StringWriter();
    private final XMLStreamWriter xml;
    private int depth;
    private boolean childWritten;

    IndentingXmlWriter() {
        try {
            // The JDK's own implementation, not whichever StAX provider the classpath happens to offer: output must be
            // byte-for-byte the same wherever the agent runs.
            xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("the JDK's XML writer is unavailable", e);
        }
    }

    /** Opens an element that will have children; {@code attributes} alternate name and value. */
    IndentingXmlWriter start(String name, String... attributes) throws XMLStreamException {
        newLine();
        xml.writeStartElement(name);
        attributes(attributes);
        enter();
        return this;
    }

    /** Opens an element in a namespace, declaring the prefix on it. */
    IndentingXmlWriter startDeclaring(String prefix, String namespace, String name) throws XMLStreamException {
        newLine();
        xml.writeStartElement(prefix, name, namespace);
        xml.writeNamespace(prefix, namespace);
        enter();
        return this;
    }

    IndentingXmlWriter end() throws XMLStreamException {
        depth--;
        if (childWritten) {
            newLine();
        }
        xml.writeEndElement();
        childWritten = true;
        return this;
    }

    /** An element without content, e.g. {@code <acpi/>}. */
    IndentingXmlWriter empty(String name, String... attributes) throws XMLStreamException {
        newLine();
        xml.writeEmptyElement(name);
        attributes(attributes);
        childWritten = true;
        return this;
    }

    /** An element holding only text. */
    IndentingXmlWriter text(String name, String text, String... attributes) throws XMLStreamException {
        newLine();
        xml.writeStartElement(name);
        attributes(attributes);
        xml.writeCharacters(text);
        xml.writeEndElement();
        childWritten = true;
        return this;
    }

    /** An element holding only text, in a namespace whose prefix an enclosing element declared. */
    IndentingXmlWriter textIn(String prefix, String namespace, String name, String text) throws XMLStreamException {
        newLine();
        xml.writeStartElement(prefix, name, namespace);
        xml.writeCharacters(text);
        xml.writeEndElement();
        childWritten = true;
        return this;
    }

    /** The document, ending with a line break; call once, after the root element is closed. */
    String finish() throws XMLStreamException {
        if (depth != 0) {
            throw new IllegalStateException(depth + " elements are still open");
        }
        xml.writeEndDocument();
        xml.close();
        return out + "\n";
    }

    private void enter() {
        depth++;
        childWritten = false;
    }

    private void attributes(String[] nameValues) throws XMLStreamException {
        if (nameValues.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name and value pairs");
        }
        for (int i = 0; i < nameValues.length; i += 2) {
            xml.writeAttribute(nameValues[i], nameValues[i + 1]);
        }
    }

    private void newLine() throws XMLStreamException {
        if (depth > 0 || childWritten) {
            xml.writeCharacters("\n" + "  ".repeat(depth));
        }
    }
}
