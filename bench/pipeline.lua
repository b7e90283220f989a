-- wrk script: every write carries DEPTH pipelined GET /hello requests
-- (default 16); wrk counts each response.
local depth = tonumber(os.getenv("DEPTH") or "16")
init = function(args)
  local r = {}
  for i = 1, depth do
    r[i] = wrk.format("GET", "/hello")
  end
  req = table.concat(r)
end
request = function()
  return req
end
