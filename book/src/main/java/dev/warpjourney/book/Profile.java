package dev.warpjourney.book;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Profile shares by frame group, from a flame graph: which fraction of the samples went to the
 * lookup, the parser, the head composer, the date, the selector..., and which fraction was spent
 * inside system calls. The groups are data ({@code book/src/data/profile-groups.properties}).
 */
final class Profile {
    static final String OTHER = "other";
    static final String SYSCALLS = "syscalls";

    private final Map<String, Pattern> groups = new LinkedHashMap<>();
    private final Map<String, List<String>> sums = new LinkedHashMap<>();
    private final Set<String> syscallNames;

    Profile(Map<String, String> definitions) {
        definitions.forEach((k, v) -> {
            if (k.startsWith("group.")) {
                groups.put(k.substring(6), Pattern.compile(v));
            } else if (k.startsWith("sum.")) {
                sums.put(
                        k.substring(4),
                        Arrays.stream(v.split(",")).map(String::strip).toList());
            }
        });
        syscallNames = Arrays.stream(
                        definitions.getOrDefault("syscall.names", "").split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    static Profile load(Path file) throws IOException {
        return new Profile(RepoFiles.properties(file));
    }

    /** Group names in the order the tables show them: the file's order, then other. */
    List<String> groupNames() {
        List<String> names = new ArrayList<>(groups.keySet());
        names.add(OTHER);
        return names;
    }

    Map<String, List<String>> sums() {
        return sums;
    }

    /** Samples per group, plus "syscalls" (samples in a system call) and "total". */
    Map<String, Long> shares(List<FlameGraph.Stack> stacks) {
        Map<String, Long> samples = new LinkedHashMap<>();
        groupNames().forEach(g -> samples.put(g, 0L));
        long total = 0;
        long inSyscalls = 0;
        for (FlameGraph.Stack s : stacks) {
            samples.merge(group(s.frames()), s.samples(), Long::sum);
            total += s.samples();
            if (inSyscall(s)) {
                inSyscalls += s.samples();
            }
        }
        samples.put(SYSCALLS, inSyscalls);
        samples.put("total", total);
        return samples;
    }

    String group(List<String> frames) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            for (Map.Entry<String, Pattern> g : groups.entrySet()) {
                if (g.getValue().matcher(frames.get(i)).find()) {
                    return g.getKey();
                }
            }
        }
        return OTHER;
    }

    boolean inSyscall(FlameGraph.Stack s) {
        if (s.types().contains(FlameGraph.KERNEL)) {
            return true;
        }
        return syscallNames.contains(syscallName(s.frames().getLast()));
    }

    /** "__GI___libc_open" is open, "sendfile64" is sendfile, "__fcntl64_nocancel_adjusted" is fcntl. */
    static String syscallName(String frame) {
        String n = frame.replaceFirst("@@.*$", "")
                .replaceFirst("^__GI_", "")
                .replaceFirst("^_+", "")
                .replaceFirst("^libc_", "")
                .replaceFirst("_nocancel(_adjusted)?$", "");
        return n.replaceFirst("64$", "");
    }
}
