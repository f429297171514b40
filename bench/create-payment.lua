-- wrk script: replays pre-signed create-payment requests written by `Lunas.Bench gen`.
--
--   wrk -t2 -c64 -d20s --timeout 5s -s bench/create-payment.lua http://127.0.0.1:PORT -- FILE THREADS [once|loop]
--   wrk ... -d25s ... -- FILE THREADS once GO_FILE SECONDS     (several wrk processes started together)
--
-- FILE     the request file: a header line "#lunas-bench-requests v1 <TAB> target <TAB> count", then one request
--          per line: Client-Id <TAB> Request-Id <TAB> Request-Timestamp <TAB> Signature <TAB> body (JSON, one line).
-- THREADS  the same number as wrk's -t (a wrk thread has no other way to know how many threads there are).
-- once     (default) every request is sent at most once: each thread loads only its own slice of the file (a byte
--          range, cut at line ends). A thread that runs out stops, and the run is reported as exhausted.
-- loop     a thread that runs out starts its slice again (for the baseline, which checks no Request-Id).
--
-- GO_FILE, SECONDS  for several wrk processes at once (two Lunas instances): when the last thread has loaded it
--          creates FILE.loaded, and every thread waits until GO_FILE exists (the caller creates it once every wrk
--          has loaded); each thread then sends for SECONDS and stops. Responses that arrive later are not counted
--          (late=N). Give wrk's -d a few seconds more than SECONDS: its own clock starts before the wait.
--
-- wrk runs each thread's init() on its main thread and starts that thread right away, before the next thread's
-- init(): loading takes a moment, so the first threads would start early. Here every thread waits in its first
-- request() until the last thread has loaded (a flag file beside FILE), so all start together.
--
-- done() prints one machine-readable line:
--   RESULT requests=N ok=N non_ok=N duration_s=S created_per_s=R p50_ms=X p99_ms=X ... status=200:N,409:N
-- first_us and last_us are that window's ends on CLOCK_MONOTONIC (one clock for every process on the machine), so
-- the windows of several wrk processes can be combined.
-- ok counts HTTP 200 and non_ok every other status; created_per_s is ok per second of the measured window (the
-- first request of any thread to the last response of any thread); wrk_duration_s is wrk's own figure.
-- exhausted > 0 means a "once" slice ran out: the figures are then not valid (generate more requests).

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } lunas_bench_timespec;
int clock_gettime(int clk_id, lunas_bench_timespec *tp);
int usleep(unsigned int usec);
int getpid(void);
unsigned long pthread_self(void);
]]
local timespec = ffi.new("lunas_bench_timespec")
local CLOCK_MONOTONIC = 1
local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000000 + tonumber(timespec.tv_nsec) / 1000
end

-- Setup phase (the main Lua state): number the threads and keep them for done().
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

-- Running phase (one Lua state per thread). These globals are read back by done() through thread:get.
thread_id = 0
loaded = 0        -- requests in this thread's slice
sent = 0          -- requests handed to wrk
ok = 0            -- HTTP 200 responses
non_ok = 0        -- any other status
statuses = {}     -- status code (as a string) -> count
exhausted = 0     -- request() calls after a "once" slice ran out
first_us = -1     -- first request sent
last_us = -1      -- last response received
load_ms = 0       -- how long init() took to load the slice
ready_flag = ""   -- the start barrier's flag file
late = 0          -- responses after the SECONDS of a GO_FILE run (not counted)

local requests = {}
local count = 0
local index = 0
local loop = false
local sentinel = nil
local init_thread = nil
local started = false
local go_file = nil
local run_us = nil
local deadline = nil
local timed_out = false

local function split_line(line, prefix, position, path)
  local t1 = line:find("\t", 1, true)
  local t2 = t1 and line:find("\t", t1 + 1, true)
  local t3 = t2 and line:find("\t", t2 + 1, true)
  local t4 = t3 and line:find("\t", t3 + 1, true)
  if not t4 then error("malformed line ending at byte " .. position .. " of " .. path) end
  return prefix
    .. "Client-Id: " .. line:sub(1, t1 - 1)
    .. "\r\nRequest-Id: " .. line:sub(t1 + 1, t2 - 1)
    .. "\r\nRequest-Timestamp: " .. line:sub(t2 + 1, t3 - 1)
    .. "\r\nSignature: " .. line:sub(t3 + 1, t4 - 1)
    .. "\r\nContent-Length: " .. (#line - t4)
    .. "\r\n\r\n" .. line:sub(t4 + 1)
end

function init(args)
  local load_started = now_us()
  init_thread = ffi.C.pthread_self()
  local path, thread_count, mode = args[1], tonumber(args[2]), args[3] or "once"
  if not path or not thread_count or thread_count < 1 then
    error("usage: -s create-payment.lua URL -- FILE THREADS [once|loop]")
  end
  if mode ~= "once" and mode ~= "loop" then error("mode must be once or loop, not " .. mode) end
  loop = mode == "loop"
  ready_flag = path .. ".ready-" .. ffi.C.getpid()
  if args[4] then
    go_file = args[4]
    run_us = tonumber(args[5])
    if not run_us or run_us <= 0 then error("GO_FILE needs SECONDS after it") end
    run_us = run_us * 1000000
    ready_flag = path .. ".loaded"
  end

  local file = assert(io.open(path, "rb"))
  local header = file:read("*l")
  local magic, target
  if header then magic, target = header:match("^(#lunas%-bench%-requests v1)\t([^\t]+)\t") end
  if not magic then error(path .. " is not a request file from `Lunas.Bench gen`") end
  local data_start = #header + 1
  local size = file:seek("end")
  local span = size - data_start
  local slice_start = data_start + math.floor(thread_id * span / thread_count)
  local slice_end = data_start + math.floor((thread_id + 1) * span / thread_count)

  -- A line belongs to the thread whose byte range holds its first byte.
  local position
  if slice_start == data_start then
    file:seek("set", slice_start)
    position = slice_start
  else
    file:seek("set", slice_start - 1)
    local rest = file:read("*l") or ""
    position = slice_start + #rest
  end

  local prefix = "POST " .. target .. " HTTP/1.1\r\nHost: " .. wrk.headers["Host"]
    .. "\r\nContent-Type: application/json\r\n"
  collectgarbage("stop")
  while position < slice_end do
    local line = file:read("*l")
    if not line then break end
    position = position + #line + 1
    count = count + 1
    requests[count] = split_line(line, prefix, position, path)
  end
  collectgarbage("restart")
  file:close()
  loaded = count
  if count == 0 then error("thread " .. thread_id .. " got no request from " .. path) end
  sentinel = "GET /__lunas_bench_exhausted HTTP/1.1\r\nHost: " .. wrk.headers["Host"] .. "\r\n\r\n"
  load_ms = (now_us() - load_started) / 1000

  if thread_id == thread_count - 1 then
    assert(io.open(ready_flag, "w")):close()
  end
end

local function wait_for_all_threads()
  local give_up = now_us() + 300 * 1000000
  local flag_path = go_file or ready_flag
  while true do
    local flag = io.open(flag_path, "r")
    if flag then flag:close() return end
    if now_us() > give_up then error("thread " .. thread_id .. ": the start flag " .. flag_path .. " never appeared") end
    ffi.C.usleep(1000)
  end
end

function request()
  if not started then
    -- wrk calls request() once on its main thread to check the format: answer without consuming or waiting.
    if ffi.C.pthread_self() == init_thread then return requests[1] end
    wait_for_all_threads()
    started = true
    first_us = now_us()
    if run_us then deadline = first_us + run_us end
  end
  if deadline and not timed_out and now_us() > deadline then
    timed_out = true
    wrk.thread:stop()
  end
  if timed_out then return sentinel end
  index = index + 1
  if index > count then
    if loop then
      index = 1
    else
      exhausted = exhausted + 1
      if exhausted == 1 then wrk.thread:stop() end
      return sentinel
    end
  end
  sent = sent + 1
  return requests[index]
end

function response(status, headers, body)
  local t = now_us()
  if timed_out or (deadline and t > deadline) then
    late = late + 1
    return
  end
  last_us = t
  if status == 200 then
    ok = ok + 1
  else
    non_ok = non_ok + 1
  end
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

-- Done phase (the main Lua state again).
function done(summary, latency, per_thread)
  local total_ok, total_non_ok, total_loaded, total_sent, total_exhausted, total_late = 0, 0, 0, 0, 0, 0
  local first, last, max_load_ms = nil, nil, 0
  local statuses_total = {}
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_non_ok = total_non_ok + thread:get("non_ok")
    total_loaded = total_loaded + thread:get("loaded")
    total_sent = total_sent + thread:get("sent")
    total_exhausted = total_exhausted + thread:get("exhausted")
    total_late = total_late + thread:get("late")
    max_load_ms = math.max(max_load_ms, thread:get("load_ms"))
    local f, l = thread:get("first_us"), thread:get("last_us")
    if f >= 0 and (not first or f < first) then first = f end
    if l >= 0 and (not last or l > last) then last = l end
    for code, n in pairs(thread:get("statuses")) do
      statuses_total[code] = (statuses_total[code] or 0) + n
    end
  end
  if threads[1] then os.remove(threads[1]:get("ready_flag")) end

  local window_s = (first and last and last > first) and (last - first) / 1000000 or summary.duration / 1000000
  local codes = {}
  for code in pairs(statuses_total) do codes[#codes + 1] = code end
  table.sort(codes)
  local status_list = {}
  for _, code in ipairs(codes) do status_list[#status_list + 1] = code .. ":" .. statuses_total[code] end

  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d ok=%d non_ok=%d duration_s=%.3f created_per_s=%.1f p50_ms=%.3f p99_ms=%.3f " ..
    "max_ms=%.3f wrk_duration_s=%.3f loaded=%d sent=%d exhausted=%d errors_connect=%d errors_read=%d " ..
    "errors_write=%d errors_timeout=%d load_ms=%.0f first_us=%.0f last_us=%.0f late=%d status=%s\n",
    summary.requests, total_ok, total_non_ok, window_s, total_ok / window_s,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.duration / 1000000, total_loaded, total_sent, total_exhausted,
    e.connect, e.read, e.write, e.timeout, max_load_ms, first or 0, last or 0, total_late,
    #status_list > 0 and table.concat(status_list, ",") or "none"))
end
