-- android.lua: wrk script for the replies benchmark: inbound SMS as SMS
-- Gateway for Android's sms:received webhooks (JSON), whose replies the
-- daemon can only send through the app's API, that is through the outbox.
--
-- Every request has its own event id (the dedupe key) and its own sender,
-- like bench/inbound.lua, whose response() and done() it reuses (the same
-- RESULT line).
--
-- usage: wrk ... -s bench/android.lua URL -- RUN

dofile("bench/inbound.lua")

local texts = {
	"loan bhadohi",
	"training mirzapur",
	"market samastipur",
	"help",
	"\\u0932\\u094b\\u0928",	-- "लोन" (loan, Devanagari), JSON-escaped
}
local arun = 0
local n = 0
local jheaders = { ["Content-Type"] = "application/json" }

local base_init = init
function init(args)
	base_init(args)
	arun = tonumber(args[1] or "0") or 0
end

function request()
	n = n + 1
	local from = string.format("+918%d%d%07d", arun % 10, tid % 10,
	    n % 10000000)
	local body = string.format(
	    '{"deviceId":"bench","event":"sms:received","id":"bench-%d-%d-%d",' ..
	    '"webhookId":"sampark-in","payload":{"messageId":"m%d",' ..
	    '"phoneNumber":"%s","message":"%s","receivedAt":' ..
	    '"2026-12-05T10:00:00.000+05:30"}}',
	    arun, tid, n, n, from, texts[(n % #texts) + 1])
	return wrk.format("POST", wrk.path, jheaders, body)
end
