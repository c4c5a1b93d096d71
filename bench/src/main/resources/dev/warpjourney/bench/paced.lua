-- tag::paced[]
-- The latency pass: every connection waits before each request, a random time between 0 and
-- twice its mean gap (wrk's script argument, in ms), so that N connections offer about
-- N * 1000 / gap requests per second whatever the server's speed, and do not fire in step.
-- Seeded, so every run waits the same sequence. report.lua is appended to this file.
local gap = 100

function init(args)
  gap = tonumber(args[1]) or gap
  math.randomseed(42)
end

function delay()
  return math.random() * 2 * gap
end
-- end::paced[]
