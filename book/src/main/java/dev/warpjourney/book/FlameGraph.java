package dev.warpjourney.book;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples inside an async-profiler flame graph (the HTML it writes). The page embeds its
 * frames as JavaScript: a constant pool of frame names, each sharing a prefix with the previous
 * one, then one call per frame ({@code f(key,level,left,width)}, {@code u(key,width)}: the first
 * child, {@code n(key,width)}: the next sibling). Replaying those calls gives every frame's level,
 * position and width in samples; a frame's own samples are its width minus its children's.
 */
final class FlameGraph {
    /** One call path and the samples taken with it on top of the stack (leaf last). */
    record Stack(List<String> frames, List<Integer> types, long samples) {}

    /** async-profiler's frame types (the key's low three bits); 5 is a kernel frame. */
    static final int KERNEL = 5;

    private static final Pattern CALL = Pattern.compile("\\b([fun])\\(([0-9,]*)\\)");

    private FlameGraph() {}

    static List<Stack> read(Path html) throws IOException {
        return parse(Files.readString(html));
    }

    static List<Stack> parse(String page) {
        int poolStart = page.indexOf("const cpool = [");
        int poolEnd = page.indexOf("\n];", poolStart);
        int callsStart = page.indexOf("unpack(cpool);", poolEnd);
        int callsEnd = page.indexOf("search();", callsStart);
        if (poolStart < 0 || poolEnd < 0 || callsStart < 0 || callsEnd < 0) {
            throw new IllegalArgumentException("not an async-profiler flame graph");
        }
        List<String> pool = new ArrayList<>();
        for (String line : page.substring(poolStart + "const cpool = [".length(), poolEnd)
                .strip()
                .split("\n")) {
            String s = line.strip();
            if (s.endsWith(",")) {
                s = s.substring(0, s.length() - 1);
            }
            String name = unquote(s);
            // The first character says how many characters (+32) are shared with the previous name.
            pool.add(pool.isEmpty() ? name : pool.getLast().substring(0, name.charAt(0) - 32) + name.substring(1));
        }

        List<int[]> frames = new ArrayList<>(); // level, width, key
        int level = 0;
        int width = 0;
        Matcher m = CALL.matcher(page.substring(callsStart, callsEnd));
        while (m.find()) {
            String[] a = m.group(2).split(",", -1);
            int key = Integer.parseInt(a[0]);
            int w;
            switch (m.group(1)) {
                case "f" -> {
                    level = Integer.parseInt(a[1]);
                    w = a.length > 3 && !a[3].isEmpty() ? Integer.parseInt(a[3]) : 0;
                }
                case "u" -> {
                    level = level + 1;
                    w = a.length > 1 && !a[1].isEmpty() ? Integer.parseInt(a[1]) : 0;
                }
                default -> w = a.length > 1 && !a[1].isEmpty() ? Integer.parseInt(a[1]) : 0;
            }
            width = w != 0 ? w : width; // a missing width repeats the previous frame's
            frames.add(new int[] {level, width, key});
        }

        // Frames come in depth-first order: a stack of open frames gives each one its parents.
        List<Stack> stacks = new ArrayList<>();
        long[] childWidth = new long[frames.size()];
        List<Integer> open = new ArrayList<>();
        List<List<Integer>> paths = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            int[] f = frames.get(i);
            while (!open.isEmpty() && frames.get(open.getLast())[0] >= f[0]) {
                open.removeLast();
            }
            if (!open.isEmpty()) {
                childWidth[open.getLast()] += f[1];
            }
            open.add(i);
            paths.add(List.copyOf(open));
        }
        for (int i = 0; i < frames.size(); i++) {
            long self = frames.get(i)[1] - childWidth[i];
            if (self > 0) {
                List<String> names = new ArrayList<>();
                List<Integer> types = new ArrayList<>();
                for (int j : paths.get(i)) {
                    names.add(pool.get(frames.get(j)[2] >>> 3));
                    types.add(frames.get(j)[2] & 7);
                }
                stacks.add(new Stack(names, types, self));
            }
        }
        return stacks;
    }

    private static String unquote(String s) {
        if (s.length() < 2 || s.charAt(0) != '\'' || s.charAt(s.length() - 1) != '\'') {
            throw new IllegalArgumentException("unexpected constant: " + s);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() - 1) {
                c = s.charAt(++i);
            }
            b.append(c);
        }
        return b.toString();
    }
}
