-- wrk script of the baseline: one SOAP echo call per request (bench/jaxws/EchoService.java).
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/xml; charset=utf-8"
wrk.headers["SOAPAction"] = '""'
wrk.body = '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
  .. 'xmlns:b="http://bench.boxoffice/"><soapenv:Body><b:echo><text>hello</text></b:echo>'
  .. '</soapenv:Body></soapenv:Envelope>'

local failures = 0
function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end
