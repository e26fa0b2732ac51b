-- soak_status.lua: delivery-status callbacks for `make soak`, in Exotel's
-- form (POST /status/exotel/<url token>, SmsSid and Status).  The ids are
-- made up, so the daemon looks each one up in the outbox and answers 200
-- "unknown id": the load is the lookup, as for a real report.  Paced like
-- soak_inbound.lua (SOAK_DELAY_MS); done() prints the same RESULT line
-- as inbound.lua.
--
-- usage: wrk ... -s bench/soak_status.lua URL/status/exotel/TOKEN -- RUN

local threads = {}
local states = { "sent", "delivered", "failed", "delivered" }

function setup(thread)
	table.insert(threads, thread)
	thread:set("tid", #threads)
end

local run = 0
local counter = 0
local pause = tonumber(os.getenv("SOAK_DELAY_MS") or "10") or 10
non2xx = 0
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function init(args)
	run = tonumber(args[1] or "0") or 0
end

function delay()
	return pause
end

function request()
	counter = counter + 1
	local sid = string.format("%08x%08x%016x", run, tid, counter)
	local body = "SmsSid=" .. sid .. "&Status=" ..
	    states[(counter % #states) + 1] .. "&To=09800000001"
	return wrk.format("POST", wrk.path, headers, body)
end

function response(status, hdrs, body)
	if status < 200 or status > 299 then
		non2xx = non2xx + 1
	end
end

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
