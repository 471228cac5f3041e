-- wrk script: posts pre-signed, unique eBay Platform Notifications (one per line in the file
-- given as the first argument); each wrk thread takes every n-th line so none is sent twice.
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  bodies = {}
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
  step = tonumber(args[2])
  i = id + 1
end

function request()
  local body = bodies[i]
  i = i + step
  if i > #bodies then
    i = id + 1
  end
  return wrk.format("POST", nil, { ["Content-Type"] = "text/xml" }, body)
end
