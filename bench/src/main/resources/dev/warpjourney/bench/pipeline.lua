-- tag::pipeline[]
-- The pipeline scenario: every write carries N requests (wrk's script argument, 16 by default,
-- as in TechEmpower's plaintext test), and wrk counts each response. A server answers them in
-- order; one that gathers the answers to what one read brought in needs fewer writes.
-- report.lua is appended to this file.
local batch

function init(args)
  local depth = tonumber(args[1]) or 16
  local requests = {}
  for i = 1, depth do
    requests[i] = wrk.format()
  end
  batch = table.concat(requests)
end

function request()
  return batch
end
-- end::pipeline[]
