-- wrk's own summary has no 95th percentile: print the run as one JSON line instead (read by bench/load.py).
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "socket_errors": %d, "http_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
