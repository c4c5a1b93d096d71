package dev.warpjourney.bench.rows;

import java.util.Map;

/**
 * A line of scaling.csv (the multicore run): one design at a number of loops (nginx: workers) in a
 * scenario, with its gain over its own one loop.
 *
 * @param gain the throughput at these loops over the design's at one, with its interval (newer runs)
 * @param cpuPerReqVsStage02 CPU per request over stage 02's, with its interval (newer runs)
 * @param note the run's remark, e.g. that servers and wrk shared the CPUs
 * @param numbers every column of the line, its value where it is a number (for readers that export any column)
 */
public record ScalingRow(
        String scenario,
        String design,
        int loops,
        Double medianReqS,
        Double minReqS,
        Double maxReqS,
        Figure utilization,
        Figure cpuUsPerReq,
        Ratio gain,
        Ratio cpuPerReqVsStage02,
        Double efficiency,
        String bound,
        String note,
        Figure syscallsPerReq,
        Figure acceptPerReq,
        Figure acceptErrorsPerReq,
        Figure epollWaitPerReq,
        Map<String, Double> numbers) {
    public static ScalingRow of(Cells c) {
        return new ScalingRow(
                c.text("scenario"),
                c.text("design"),
                c.required("loops"),
                c.number("median_req_s"),
                c.number("min_req_s"),
                c.number("max_req_s"),
                c.figure("utilization"),
                c.figure("cpu_us_per_req"),
                Ratio.of(c, "gain"),
                Ratio.of(c, "cpu_per_req_vs_stage02"),
                c.number("efficiency"),
                c.text("bound"),
                c.text("note"),
                c.figure("syscalls_per_req"),
                c.figure("accept_per_req"),
                c.figure("accept_errors_per_req"),
                c.figure("epoll_wait_per_req"),
                c.numbers());
    }
}
