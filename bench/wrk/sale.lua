-- wrk script of bench/bench_sale.py: each connection loops createOrUpdateOrder (2 seats chosen
-- automatically, one performance) then closeOrder of the order it was given. Run it with as
-- many threads as connections (-t N -c N): wrk's Lua state is per thread, and the close must
-- follow its own create on its own connection.
-- Settings come from the environment: BENCH_LOGIN, BENCH_PASSWORD, BENCH_POS, BENCH_PERFORMANCE,
-- BENCH_CATEGORY, BENCH_TARIFF, BENCH_PREFIX (the SOAP path prefix).

local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
local soap = dofile(here .. "soap.lua")
local prefix = os.getenv("BENCH_PREFIX")
local create_body = soap.opening("ExternalOrderFacade")
  .. '<v1:createOrUpdateOrder><pointOfSalesId>' .. os.getenv("BENCH_POS") .. '</pointOfSalesId>'
  .. '<singleEntryAttributionOperations><operationAttributions>'
  .. '<performanceId>' .. os.getenv("BENCH_PERFORMANCE") .. '</performanceId>'
  .. '<seatCategoryId>' .. os.getenv("BENCH_CATEGORY") .. '</seatCategoryId>'
  .. '<audienceSubCategoryId>' .. os.getenv("BENCH_TARIFF") .. '</audienceSubCategoryId>'
  .. '<quantity>2</quantity></operationAttributions></singleEntryAttributionOperations>'
  .. '</v1:createOrUpdateOrder>' .. soap.closing
local close_head = soap.opening("ExternalOrderService") .. '<v1:closeOrder><orderId>'
local close_tail = '</orderId></v1:closeOrder>' .. soap.closing
local create_path = prefix .. "ExternalOrderFacade.webservice"
local close_path = prefix .. "ExternalOrderService.webservice"
local headers = { ["Content-Type"] = "text/xml; charset=utf-8", ["SOAPAction"] = '""' }

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

order_id = nil
creates, closes, sold_out, other_errors, faults = 0, 0, 0, 0, 0
errors_seen = ""

function request()
  if order_id then
    return wrk.format("POST", close_path, headers, close_head .. order_id .. close_tail)
  end
  return wrk.format("POST", create_path, headers, create_body)
end

local function note_error(detail)
  if detail == "error.order.availability" then
    sold_out = sold_out + 1
  else
    other_errors = other_errors + 1
    if not string.find(errors_seen, detail, 1, true) then
      errors_seen = errors_seen .. detail .. " "
    end
  end
end

function response(status, headers, body)
  local closing = order_id ~= nil
  order_id = nil
  if status ~= 200 then
    faults = faults + 1
    return
  end
  local code = string.match(body, "<statusCode>(%a+)</statusCode>")
  if code ~= "success" then
    note_error(string.match(body, "<statusDetail>([^<]*)</statusDetail>") or "?")
  elseif closing then
    closes = closes + 1
  else
    creates = creates + 1
    order_id = string.match(body, "<orderId>(%d+)</orderId>")
  end
end

function done(summary, latency, requests)
  local totals = { creates = 0, closes = 0, sold_out = 0, other_errors = 0, faults = 0 }
  local seen = ""
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
    seen = seen .. thread:get("errors_seen")
  end
  io.write(string.format(
    'RESULT {"seconds": %.3f, "requests": %d, "creates": %d, "closes": %d, "sold_out": %d, '
    .. '"other_errors": %d, "faults": %d, "socket_errors": %d, "p50_ms": %.2f, '
    .. '"p99_ms": %.2f, "max_ms": %.2f, "errors_seen": "%s"}\n',
    summary.duration / 1e6, summary.requests, totals.creates, totals.closes, totals.sold_out,
    totals.other_errors, totals.faults,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, seen))
end
