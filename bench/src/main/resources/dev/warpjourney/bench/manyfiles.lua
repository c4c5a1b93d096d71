-- manyfiles: every request asks for one of the corpus's 10,000 small files, picked at random
-- (seeded, so every run asks for the same sequence). The list comes from paths.txt.
local paths = {}

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  math.randomseed(42)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
