-- wrk reporting script: after the run, writes one JSON object with the totals, the error
-- counts and latency percentiles (microseconds) to the file named by $WRK_JSON
-- (WRK_JSON=out.json wrk ... -s report.lua URL). Non-2xx/3xx answers count under errors.status.

function done(summary, latency, requests)
  local path = os.getenv("WRK_JSON")
  if path == nil or path == "" then
    return
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local f = assert(io.open(path, "w"))
  f:write(string.format(
    '{"requests": %d, "duration_s": %.3f, "bytes": %d, "rps": %.1f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"min": %d, "mean": %.1f, "stdev": %.1f, "p50": %d, "p90": %d, "p99": %d, "p999": %d, "max": %d}}\n',
    summary.requests, seconds, summary.bytes, summary.requests / seconds,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
  f:close()
end
