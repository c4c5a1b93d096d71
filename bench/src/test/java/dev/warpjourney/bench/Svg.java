package dev.warpjourney.bench;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;

/** Test helper: parses an SVG file as XML (without fetching its DTD) and returns its root element's name. */
final class Svg {
    private Svg() {}

    static String root(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(file.toFile()).getDocumentElement().getNodeName();
    }
}
