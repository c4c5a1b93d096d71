package dev.warpjourney.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One response as read off the wire: the exact head bytes, the parsed fields, and the body.
 *
 * @param head    the status line and header fields, exactly as received, including the final CRLF CRLF
 * @param version "HTTP/1.1"
 * @param status  the status code
 * @param reason  the reason phrase
 * @param fields  header fields in the order received, {name, value}
 * @param body    the body bytes (empty for HEAD, 304 and bodiless responses)
 */
public record HttpResponse(String head, String version, int status, String reason, List<String[]> fields, byte[] body) {

    /** The single value of a field; fails if the field is repeated. */
    public String header(String name) {
        List<String> all = headers(name);
        if (all.size() > 1) {
            throw new AssertionError("field " + name + " repeated: " + all);
        }
        return all.isEmpty() ? null : all.getFirst();
    }

    public List<String> headers(String name) {
        List<String> out = new ArrayList<>();
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase(name)) {
                out.add(f[1]);
            }
        }
        return out;
    }

    public boolean closes() {
        String c = header("Connection");
        return c != null && c.toLowerCase(Locale.ROOT).contains("close");
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return head.replace("\r\n", "\\r\\n\n") + "[" + body.length + " body bytes]";
    }
}
