-- wrk script of bench/bench_sale.py: each connection reads its own order with getOrderDetails.
-- BENCH_ORDERS holds one order id per connection, comma-separated; run with -t N -c N so that
-- thread i reads order i. Other settings as in sale.lua.

local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
local soap = dofile(here .. "soap.lua")
local prefix = os.getenv("BENCH_PREFIX")
local envelope = soap.opening("ExternalOrderService")
  .. '<v1:getOrderDetails><orderId>%s</orderId></v1:getOrderDetails>' .. soap.closing

local orders = {}
for id in string.gmatch(os.getenv("BENCH_ORDERS"), "%d+") do table.insert(orders, id) end
local threads = {}
local next_index = 0

function setup(thread)
  next_index = next_index + 1
  thread:set("my_order", orders[(next_index - 1) % #orders + 1])
  table.insert(threads, thread)
end

successes, failures = 0, 0

function init(args)
  wrk.method = "POST"
  wrk.path = prefix .. "ExternalOrderService.webservice"
  wrk.headers["Content-Type"] = "text/xml; charset=utf-8"
  wrk.headers["SOAPAction"] = '""'
  wrk.body = string.format(envelope, my_order)
end

function response(status, headers, body)
  if status == 200 and string.find(body, "<statusCode>success</statusCode>", 1, true) then
    successes = successes + 1
  else
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local ok, bad = 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("successes")
    bad = bad + thread:get("failures")
  end
  io.write(string.format(
    'RESULT {"seconds": %.3f, "requests": %d, "successes": %d, "failures": %d, '
    .. '"p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
    summary.duration / 1e6, summary.requests, ok, bad,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
