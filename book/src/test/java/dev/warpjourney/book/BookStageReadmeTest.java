package dev.warpjourney.book;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The diff between consecutive stages must be exactly the chapter's idea, and the later stage's
 * README says what that idea touched: its "== The change" section names, as `File.java`, every
 * main source file that differs from the previous stage, and no file that does not.
 */
class BookStageReadmeTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern FILE = Pattern.compile("`([A-Z][A-Za-z0-9]*\\.java)`");

    @Test
    void everyChangedFileIsListedInTheLaterStagesReadme() throws Exception {
        List<String> stages = RepoFiles.stages(REPO);
        assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
        for (int i = 1; i < stages.size(); i++) {
            String from = stages.get(i - 1);
            String to = stages.get(i);
            Set<String> changed = new TreeSet<>(StageDiff.changedFiles(REPO, from, to));
            Set<String> listed = listedChanges(REPO.resolve(to).resolve("README.adoc"));
            assertThat(listed)
                    .as(
                            "files that differ between %s and %s, listed in %s/README.adoc under '== The change'",
                            from, to, to)
                    .containsAll(changed);
            assertThat(changed)
                    .as("files that %s/README.adoc lists as changed must differ from %s", to, from)
                    .containsAll(listed);
        }
    }

    @Test
    void aReadmeThatForgetsAChangedFileIsCaught() {
        Set<String> listed = listed(
                "== The change\n\n* `Server.java`: epoll.\n\n== How it is measured\n* `Connection.java` is not here\n");
        assertThat(listed).containsExactly("Server.java");
        assertThat(listed).doesNotContain("Connection.java");
    }

    static Set<String> listedChanges(Path readme) throws Exception {
        return listed(Files.readString(readme));
    }

    /** The `X.java` names in the "== The change" section (up to the next level-2 heading). */
    static Set<String> listed(String readme) {
        String text = "\n" + readme;
        int start = text.indexOf("\n== The change");
        assertThat(start).as("a '== The change' section").isNotNegative();
        int end = text.indexOf("\n== ", start + 1);
        Matcher m = FILE.matcher(text.substring(start, end < 0 ? text.length() : end));
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
