-- The server benchmark's requests for wrk (`node bench/server.bench.mjs --loadgen wrk`): the same
-- 1,000 bodies as its autocannon requests, cycled, and one JSON line of figures at the end.
local token = os.getenv("KSS_TOKEN")
local requests = {}
local next_index = 0

init = function(args)
  for k = 0, 999 do
    local body = '{"request_type":"decrypt","profile":{"profile_id":"' .. string.format("%032x", k)
      .. '"},"auth_meta":[{"meta":"finance/2022/report-' .. k .. '.pdf","complete":true}]}'
    requests[k] = wrk.format("POST", "/v1/requests", { ["authorization"] = "Bearer " .. token, ["content-type"] = "application/json" }, body)
  end
end

request = function()
  local r = requests[next_index]
  next_index = (next_index + 1) % 1000
  return r
end

done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format('WRK {"requests":%d,"duration_us":%d,"errors":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"p99_9_us":%d,"mean_us":%f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.mean))
end
