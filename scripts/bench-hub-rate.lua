-- wrk at a fixed request rate (Debian's wrk has no -R): each connection waits
-- connections / rate seconds between its requests, so -c 20 and a rate of 200 ask 200 times a
-- second while answers take well under that wait. wrk times each request from its first byte
-- sent, never the wait. Usage: wrk -c 20 -s bench-hub-rate.lua URL -- RATE CONNECTIONS
local wait_ms = 100

function init(args)
    local rate = tonumber(args[1]) or 200
    local connections = tonumber(args[2]) or 20
    wait_ms = connections * 1000 / rate
end

function delay()
    return wait_ms
end
