package dev.warpjourney.bench.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The row records as the book reads them: by column name, blank as null, a figure printed as the harness wrote it. */
class RowsTest {
    @TempDir
    Path tmp;

    @Test
    void aSummaryRowIsReadByColumnNameAndKeepsItsFiguresAsWritten() throws Exception {
        Path f = tmp.resolve("summary.csv");
        // An older run: columns in another order, no cpu_vs_nginx (its rounds were not paired), the CPU spread under
        // its earlier name, and a quoted reason holding a comma.
        Files.writeString(f, """
                server,scenario,idle,median_req_s,vs_nginx,vs_nginx_lo,vs_nginx_hi,cpu_us_per_req,cpu_min_us_per_req,ranked,unranked_reason,cpu_quota
                stage-01-naive,warp,0,26000,1.50,1.20,2.00,36.0,35.0,no,"614978 errors, not server-bound",none
                nginx,c10k,10000,65000,,,,14.0,,,,0.50
                """);
        List<SummaryRow> rows = Csv.read(f, SummaryRow::of);
        SummaryRow s = rows.getFirst();
        assertThat(s.server()).isEqualTo("stage-01-naive");
        assertThat(s.idle()).isZero();
        assertThat(s.medianReqS()).isEqualTo(26000.0);
        assertThat(s.vsNginx().value().text()).as("printed as written").isEqualTo("1.50");
        assertThat(s.vsNginx().value().value()).isEqualTo(1.5);
        assertThat(s.vs("nginx").hasInterval()).isTrue();
        assertThat(s.cpuUsPerReqMin().text()).as("the column's earlier name").isEqualTo("35.0");
        assertThat(s.ranked()).isFalse();
        assertThat(s.unrankedReason()).isEqualTo("614978 errors, not server-bound");
        assertThat(s.paired()).isFalse();
        assertThat(s.quotaCpus()).as("no budget").isNull();
        assertThat(s.cpuQuota()).isEqualTo("none");
        assertThat(s.numbers()).containsEntry("median_req_s", 26000.0).containsEntry("server", null);
        SummaryRow n = rows.get(1);
        assertThat(n.idle()).isEqualTo(10000);
        assertThat(n.vsNginx().value()).as("blank").isNull();
        assertThat(n.vsNginx().hasInterval()).isFalse();
        assertThat(n.ranked()).as("a run without the harness's ranking").isNull();
        assertThat(n.errors()).as("a column the run lacks").isNull();
        assertThat(n.quotaCpus()).isEqualTo(0.5);
    }

    @Test
    void aShortLineLeavesItsLastColumnsBlankAndTextWhereANumberBelongsIsAnError() throws Exception {
        Path f = tmp.resolve("syscalls.csv");
        Files.writeString(f, "scenario,server,syscall,per_request,usecs_per_call,connections\nwarp,nginx,read,1.00\n");
        SyscallRow r = Csv.read(f, SyscallRow::of).getFirst();
        assertThat(r.perRequest()).isEqualTo(1.0);
        assertThat(r.usecsPerCall()).isNull();
        assertThat(r.connections()).isNull();
        Files.writeString(f, "scenario,server,syscall,per_request,usecs_per_call\nwarp,nginx,read,1.00,fast\n");
        assertThatThrownBy(() -> Csv.read(f, SyscallRow::of))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("usecs_per_call");
    }
}
