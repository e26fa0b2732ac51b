-- soak_inbound.lua: bench/inbound.lua (unique senders and message ids,
-- the same RESULT line) paced for `make soak`: each connection waits
-- SOAK_DELAY_MS (environment, default 10) between requests, so that ten
-- minutes is a steady load rather than a flood.
--
-- usage: wrk ... -s bench/soak_inbound.lua URL/sms/console -- RUN
dofile("bench/inbound.lua")

local pause = tonumber(os.getenv("SOAK_DELAY_MS") or "10") or 10

function delay()
	return pause
end
