-- wrk script: posts unique eBay Platform Notifications made from one signed template (the file given
-- as the first argument: one line, with @ID@ where the item id goes). The signature covers the
-- Timestamp alone, so every copy is validly signed; each gets an item id of its own, so a key of its
-- own: wrk thread t of n sends ids base+t, base+t+n, ... (the second and third arguments).
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local file = assert(io.open(args[1]))
  local template = file:read("*l")
  file:close()
  parts = {}
  for part in (template .. "@ID@"):gmatch("(.-)@ID@") do
    parts[#parts + 1] = part
  end
  step = tonumber(args[3])
  n = tonumber(args[2]) + id
end

function request()
  local body = table.concat(parts, string.format("%.0f", n))
  n = n + step
  return wrk.format("POST", nil, { ["Content-Type"] = "text/xml" }, body)
end
