-- inbound.lua: wrk script for `make bench`, inbound SMS on the console provider.
--
-- Every request is a POST form like a provider webhook, with a sender and a
-- provider message id that no other request of the run uses, so the daemon
-- really logs each one (no dedupe short-cut, no warm per-contact cache).
--
-- usage: wrk ... -s bench/inbound.lua http://127.0.0.1:PORT/sms/console -- RUN
--   RUN  a digit 0-9 that differs between runs against the same database
--        (warm-up, measured run), so ids and senders stay unique across them.
--
-- done() prints one machine-readable line:
--   RESULT rps=... p50_ms=... p99_ms=... requests=... ok=... errors=... non2xx=...
-- errors counts socket errors, timeouts and non-2xx answers; non2xx is the
-- latter alone; ok = requests - non2xx.

-- Texts a district entrepreneur would send; bodies are already form-encoded.
local bodies = {
	"loan+bhadohi",
	"training+mirzapur",
	"market+samastipur",
	"1",
	"help",
	"%E0%A4%B2%E0%A5%8B%E0%A4%A8",	-- "लोन" (loan, Devanagari)
}

local threads = {}

-- Runs in the main interpreter once per thread, before the threads start.
function setup(thread)
	table.insert(threads, thread)
	thread:set("tid", #threads)
end

-- Below this line runs inside each thread's own interpreter.
-- non2xx is global: thread:get() in done() reads globals only.
local run = 0
local counter = 0
non2xx = 0
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function init(args)
	run = tonumber(args[1] or "0") or 0
end

function request()
	counter = counter + 1
	-- Indian mobile, 10 digits after +91: 9, run, thread, 7-digit counter.
	-- Unique for 10^7 requests per thread per run, far beyond a bench run.
	local from = string.format("%%2B919%d%d%07d", run % 10, tid % 10,
	    counter % 10000000)
	local id = string.format("bench-%d-%d-%d", run, tid, counter)
	local body = "From=" .. from ..
	    "&Body=" .. bodies[(counter % #bodies) + 1] ..
	    "&MessageId=" .. id
	return wrk.format("POST", wrk.path, headers, body)
end

function response(status, hdrs, body)
	if status < 200 or status > 299 then
		non2xx = non2xx + 1
	end
end

-- Back in the main interpreter, after the run.
function done(summary, latency, requests)
	local bad = 0
	for _, t in ipairs(threads) do
		bad = bad + (t:get("non2xx") or 0)
	end
	local e = summary.errors
	local sockerr = e.connect + e.read + e.write + e.timeout
	local secs = summary.duration / 1e6
	local rps = 0
	if secs > 0 then
		rps = summary.requests / secs
	end
	io.write(string.format(
	    "RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d ok=%d errors=%d non2xx=%d\n",
	    rps, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
	    summary.requests, summary.requests - bad, sockerr + bad, bad))
end
