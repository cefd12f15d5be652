-- Shared by sale.lua and details.lua: the opening of a SOAP envelope carrying the operator's
-- WS-Security UsernameToken (BENCH_LOGIN, BENCH_PASSWORD), for one service's namespace.
local soap = {}

function soap.opening(service)
  return '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    .. 'xmlns:v1="http://v1_33.' .. service .. '.service.secutix.com"><soapenv:Header>'
    .. '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/'
    .. 'oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:UsernameToken>'
    .. '<wsse:Username>' .. os.getenv("BENCH_LOGIN") .. '</wsse:Username>'
    .. '<wsse:Password>' .. os.getenv("BENCH_PASSWORD") .. '</wsse:Password>'
    .. '</wsse:UsernameToken></wsse:Security></soapenv:Header><soapenv:Body>'
end

soap.closing = '</soapenv:Body></soapenv:Envelope>'


return soap
