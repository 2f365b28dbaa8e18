package org.singlewindow.declaration.ceb;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import org.singlewindow.contract.Violation;
import org.singlewindow.kit.web.ApiException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.xml.XmlFactory;
import tools.jackson.dataformat.xml.XmlMapper;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a CEB message safely: a DOCTYPE (and with it every entity declaration, internal or external) is
 * refused, nothing is fetched from outside, elements nest at most {@link #MAX_DEPTH} deep, and the body is
 * at most the kit's request limit (1 MB) before it gets here. The message is read twice from the same
 * bytes: as a DOM, which the signature is verified on, and bound by Jackson XML into {@link CebMessages}.
 * Every refusal names where in the message and why, as the customs' own format-error receipt does.
 */
final class CebXml {

    static final String NAMESPACE = Ceb622.NAMESPACE;
    static final int MAX_DEPTH = 12;

    /** The kinds of message taken, by their root element. */
    enum Kind {
        CEB311(CebMessages.Ceb311.class), CEB411(CebMessages.Ceb411.class), CEB511(CebMessages.Ceb511.class),
        CEB621(CebMessages.Ceb621.class);

        final Class<? extends CebMessages.Message> type;

        Kind(Class<? extends CebMessages.Message> type) {
            this.type = type;
        }

        String root() {
            return name() + "Message";
        }
    }

    /** A message read: its DOM, its kind and its binding. */
    record Read(Document document, Kind kind, CebMessages.Message message) {
    }

    private static final Map<String, Kind> ROOTS = java.util.Arrays.stream(Kind.values())
            .collect(Collectors.toMap(Kind::root, k -> k));

    private static final DocumentBuilderFactory DOM = dom();
    private static final XmlMapper MAPPER = mapper();

    private CebXml() {
    }

    static Read read(byte[] xml) {
        if (xml == null || xml.length == 0) {
            throw refused("", "required", "the body is empty: send one CEB311, CEB411, CEB511 or CEB621 message");
        }
        Document document = parse(xml);
        Element root = document.getDocumentElement();
        Kind kind = ROOTS.get(root.getLocalName());
        if (kind == null || !NAMESPACE.equals(root.getNamespaceURI())) {
            throw refused("/" + root.getTagName(), "message",
                    "the root must be ceb:CEB311Message, ceb:CEB411Message, ceb:CEB511Message or ceb:CEB621Message in namespace "
                            + NAMESPACE);
        }
        try {
            return new Read(document, kind, MAPPER.readValue(xml, kind.type));
        } catch (UnrecognizedPropertyException e) {
            throw refused(path(kind, e), "element", "'" + e.getPropertyName() + "' is not an element of the "
                    + kind.root() + " standard here");
        } catch (JacksonException e) {
            throw refused(path(kind, e), "structure", "does not have the structure of " + kind.root() + ": "
                    + e.getOriginalMessage());
        }
    }

    /**
     * A message of a kind the window hands on (CEB711, CEB513: {@link LogisticsMessages}), bound as {@link #read} binds
     * the four documents; its DOM is {@code document}, already parsed safely.
     */
    static <T> T bind(byte[] xml, Class<T> type, String root) {
        try {
            return MAPPER.readValue(xml, type);
        } catch (UnrecognizedPropertyException e) {
            throw refused("/ceb:" + root, "element", "'" + e.getPropertyName() + "' is not an element of the " + root
                    + " standard here");
        } catch (JacksonException e) {
            throw refused("/ceb:" + root, "structure", "does not have the structure of " + root + ": " + e.getOriginalMessage());
        }
    }

    /** Where in the message Jackson was: the elements from the root, as the other refusals name them. */
    private static String path(Kind kind, JacksonException e) {
        StringBuilder at = new StringBuilder("/ceb:").append(kind.root());
        for (var reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                at.append("/ceb:").append(reference.getPropertyName());
            }
        }
        return at.toString();
    }

    /** A message as a DOM, safely (the refusals above); also the window's own receipts before they are signed. */
    static Document parse(byte[] xml) {
        try {
            DocumentBuilder builder = DOM.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXParseException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            String where = " (line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ")";
            if (message.contains("DOCTYPE")) {
                throw refused("", "dtd", "a DOCTYPE is not allowed in a CEB message: no DTD, no entity declarations" + where);
            }
            if (message.contains("maxElementDepth") || message.contains("JAXP00010006")) {
                throw refused("", "depth", "elements nest deeper than " + MAX_DEPTH + where);
            }
            if (message.contains("was referenced, but not declared")) {
                throw refused("", "entity", "entity references are not allowed in a CEB message: " + message + where);
            }
            throw refused("", "xml", "not well-formed XML: " + message + where);
        } catch (SAXException | IOException e) {
            throw refused("", "xml", "not well-formed XML: " + e.getMessage());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    static ApiException refused(String field, String rule, String message) {
        return new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, "Invalid CEB message",
                "the message breaks the CEB message standard or this window's rules for it",
                List.of(new Violation(field, rule, message)));
    }

    private static DocumentBuilderFactory dom() {
        // the JDK's own parser, whatever else is on the classpath
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        try {
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", String.valueOf(MAX_DEPTH));
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        return f;
    }

    private static XmlMapper mapper() {
        XMLInputFactory input = new WstxInputFactory();
        input.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        input.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        input.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, MAX_DEPTH);
        return XmlMapper.builder(XmlFactory.builder().xmlInputFactory(input).build())
                .defaultUseWrapper(false)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }
}
