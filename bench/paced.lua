-- paced.lua: wrk script for webhooks at a paced rate during bulk work.
--
-- The requests of bench/inbound.lua (unique senders and message ids, the
-- same bodies), but each connection waits PACE ms between its requests,
-- so a few connections make the steady trickle of a real district (women
-- texting) rather than a saturating load: the latency measured is what a
-- woman texting waits while the daemon does bulk work.
--
-- usage: wrk -c8 ... -s bench/paced.lua URL -- RUN PACE
-- Prints the RESULT line of inbound.lua.  Stop early with SIGINT: wrk
-- still reports what it measured.

dofile("bench/inbound.lua")

local base_init = init
local pace = 20

function init(args)
	base_init(args)
	pace = tonumber(args[2] or "20") or 20
end

function delay()
	return pace
end
