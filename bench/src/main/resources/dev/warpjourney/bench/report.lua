-- tag::report[]
-- Appended to every wrk script the journey runs: one machine-readable line when wrk is done.
-- Latencies are in microseconds; "status" counts non-2xx/3xx responses, the others socket errors.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JOURNEY {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50":%d,"p90":%d,"p99":%d,"p999":%d,"mean":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.mean))
end
-- end::report[]
