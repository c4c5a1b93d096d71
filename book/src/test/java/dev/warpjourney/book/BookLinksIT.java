package dev.warpjourney.book;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The rendered book has no broken internal link, anchor or image, and no unresolved attribute. */
class BookLinksIT {
    private static final Path DOCS = Path.of(System.getProperty("book.out", "target/generated-docs"));
    private static final Pattern ID = Pattern.compile("\\sid=\"([^\"]+)\"");
    private static final Pattern HREF = Pattern.compile("\\shref=\"([^\"]+)\"");
    private static final Pattern SRC = Pattern.compile("<img[^>]*\\ssrc=\"([^\"]+)\"");

    @Test
    void everyInternalLinkAnchorAndImageResolves() throws Exception {
        Path index = DOCS.resolve("index.html");
        String html = Files.readString(index);
        Set<String> ids = new HashSet<>();
        Matcher m = ID.matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        List<String> broken = new ArrayList<>();
        m = HREF.matcher(html);
        int checked = 0;
        while (m.find()) {
            String href = m.group(1).replace("&amp;", "&");
            if (href.startsWith("http://") || href.startsWith("https://") || href.startsWith("mailto:")) {
                continue; // external: not this book's to keep alive
            }
            checked++;
            if (href.startsWith("#")) {
                if (!ids.contains(href.substring(1))) {
                    broken.add("anchor " + href);
                }
            } else {
                String file = href.contains("#") ? href.substring(0, href.indexOf('#')) : href;
                if (!Files.isRegularFile(DOCS.resolve(file))) {
                    broken.add("link " + href);
                }
            }
        }
        m = SRC.matcher(html);
        int images = 0;
        while (m.find()) {
            String src = m.group(1);
            if (!src.startsWith("data:") && !src.startsWith("http")) {
                images++;
                if (!Files.isRegularFile(DOCS.resolve(src))) {
                    broken.add("image " + src);
                }
            }
        }
        assertThat(broken).as("broken links, anchors and images").isEmpty();
        assertThat(checked).as("internal links checked").isGreaterThan(20);
        assertThat(images).as("images checked").isGreaterThan(5);
    }

    @Test
    void noAttributeLeftUnresolvedAndNoNumberTypedAsPlaceholder() throws Exception {
        String html = Files.readString(DOCS.resolve("index.html"));
        // An attribute that does not resolve stays in the text as {name} (and warns, failing the build).
        assertThat(Pattern.compile("\\{[a-z0-9]+(-[a-z0-9]+)+\\}").matcher(html).find())
                .isFalse();
        assertThat(html).contains("Stage 01: naive").contains("Stage 02: epoll").contains("How we measure");
    }
}
