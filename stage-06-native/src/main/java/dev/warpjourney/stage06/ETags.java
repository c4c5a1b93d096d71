package dev.warpjourney.stage06;

/** Entity-tag lists as sent in If-Match and If-None-Match (RFC 9110 §8.8.3). */
final class ETags {
    private ETags() {}

    /**
     * Whether the field value {@code "*"} or any entity-tag in its list matches {@code current}.
     * Weak comparison ignores the W/ prefix (If-None-Match); strong comparison demands that neither
     * tag is weak (If-Match). A list we cannot parse matches nothing.
     */
    static boolean matches(String field, String current, boolean weak) {
        String f = field.trim();
        if (f.equals("*")) {
            return true;
        }
        int i = 0;
        int n = f.length();
        while (i < n) {
            char c = f.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            boolean isWeak = false;
            if (f.startsWith("W/", i)) {
                isWeak = true;
                i += 2;
            }
            if (i >= n || f.charAt(i) != '"') {
                return false;
            }
            int end = f.indexOf('"', i + 1);
            if (end < 0) {
                return false;
            }
            String tag = f.substring(i, end + 1);
            if (tag.equals(current) && (weak || !isWeak)) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }
}
