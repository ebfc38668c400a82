-- wrk script of the viral-petition benchmark: each request signs the petition with the next
-- account's token (from $TOKENS, one per line; thread k of n takes lines k, k+n, …), behind a
-- trusted proxy that names a different client address for each account.
-- When a thread's tokens run out it signs again with its first ones (which adds nothing) and
-- says so: seed more accounts for a longer or faster run.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  path = os.getenv("SIGN_PATH")
  tokens = {}
  local n = tonumber(os.getenv("WRK_THREADS"))
  local i = 0
  for line in io.lines(os.getenv("TOKENS")) do
    if i % n == id then
      table.insert(tokens, line)
    end
    i = i + 1
  end
  ntokens = #tokens
  sent, ok, refused = 0, 0, 0
end

function request()
  sent = sent + 1
  local k = (sent - 1) % #tokens + 1
  local n = sent + id * 1000003
  local headers = {
    ["Authorization"] = "Bearer " .. tokens[k],
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256),
  }
  return wrk.format("POST", path, headers, "{}")
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else refused = refused + 1 end
end

function done(summary, latency, requests)
  local ok_total, refused_total, exhausted = 0, 0, false
  for _, t in ipairs(threads) do
    ok_total = ok_total + t:get("ok")
    refused_total = refused_total + t:get("refused")
    exhausted = exhausted or t:get("sent") > t:get("ntokens")
  end
  local secs = summary.duration / 1e6
  io.write(string.format("signatures acknowledged: %d in %.1f s = %.0f/s\n", ok_total, secs, ok_total / secs))
  io.write(string.format("refused: %d\n", refused_total))
  if exhausted then io.write("TOKENS RAN OUT: some answers are repeats; seed more accounts\n") end
  io.write(string.format("latency ms: p50 %.1f, p90 %.1f, p99 %.1f, p99.9 %.1f, max %.1f\n",
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency:percentile(99.9) / 1e3, latency.max / 1e3))
  io.write(string.format("ACKED=%d EXHAUSTED=%s\n", ok_total, tostring(exhausted)))
end
