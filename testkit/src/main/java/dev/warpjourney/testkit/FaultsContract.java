package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.settledDescriptorCount;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults under load: many clients at once, for a bounded time, each picking at random among good
 * keep-alive pipelines (every byte checked) and the ways clients misbehave: a request cut by a
 * reset, a large response reset half-read, garbage, a slow reader, a half-close. Afterwards the
 * server answers, no good exchange was answered wrongly, and its descriptors and live heap are
 * back where they started. The soak ({@link SoakContract}) runs one kind of client at a time;
 * here the faults arrive while the good exchanges are in flight, on the same loops.
 */
public interface FaultsContract extends ContractFixture {

    int FAULT_CLIENTS = 12;
    Duration FAULT_TIME = Duration.ofSeconds(6);
    long FAULT_HEAP_TOLERANCE = 4L << 20;

    @Test
    @Tag(HEAVY)
    @Timeout(120)
    @DisplayName(
            "faults under load: good pipelines beside resets, garbage, slow readers and half-closes; every good answer right, nothing leaks")
    default void faultsUnderLoad() throws Exception {
        Path big = root().resolve(FaultMix.BIG_FILE);
        byte[] bigBytes = FaultMix.bigFile();
        Files.write(big, bigBytes);
        try {
            FaultMix.run(
                    port(),
                    FAULT_CLIENTS,
                    Duration.ofSeconds(1),
                    bigBytes); // warm-up: classes loaded, code compiled, caches filled
            long heapBefore = Wire.liveHeap();
            long fdBefore = settledDescriptorCount();
            FaultMix.Tally t = FaultMix.run(port(), FAULT_CLIENTS, FAULT_TIME, bigBytes);
            long heapAfter = Wire.liveHeap();
            long fdAfter = Wire.descriptorsBackTo(fdBefore);
            System.out.printf(
                    "faults: %d good exchanges checked (%.0f a second), %d faults, %d wrong; descriptors %d -> %d;"
                            + " live heap %d KiB -> %d KiB%n",
                    t.good().get(),
                    t.good().get() / (double) FAULT_TIME.toSeconds(),
                    t.faults().get(),
                    t.wrong().size(),
                    fdBefore,
                    fdAfter,
                    heapBefore >> 10,
                    heapAfter >> 10);
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(t.wrong()).as("good exchanges answered wrongly").isEmpty();
            soft.assertThat(t.good().get()).as("good exchanges made").isPositive();
            soft.assertThat(t.held().get())
                    .as("garbage held past " + FaultMix.GARBAGE_PATIENCE_MILLIS + " ms")
                    .isZero();
            soft.assertThat(fdAfter)
                    .as("open descriptors after (before: " + fdBefore + ")")
                    .isLessThanOrEqualTo(fdBefore);
            soft.assertThat(heapAfter)
                    .as("live heap after (before: " + heapBefore + ")")
                    .isLessThan(heapBefore + FAULT_HEAP_TOLERANCE);
            soft.assertThat(fetch("/hello.txt").bodyText())
                    .as("the server answers")
                    .isEqualTo(Docroot.HELLO);
            soft.assertAll();
        } finally {
            Files.delete(big);
        }
    }
}
