-- wrk script for deploy/scale-test.sh: GET requests spread over a fixed set
-- of targets (verdicts on dates and places, the catalog, place search),
-- which a cache can keep, and every fourth request a target seen once (a
-- distinct uncertainty), which must reach a replica. The same sequence in
-- every run.
local targets = {}
local lats = {"39.8153", "39.7", "39.9", "40.0", "39.6"}
local lons = {"46.7519", "46.6", "46.9", "46.5", "46.8"}
local dates = {"2021-01-01", "2022-03-25", "2022-09-01", "2023-01-01"}
for _, lat in ipairs(lats) do
  for _, lon in ipairs(lons) do
    for _, d in ipairs(dates) do
      table.insert(targets, "/api/v1/locate?compact=1&lat=" .. lat .. "&lon=" .. lon .. "&date=" .. d)
    end
  end
end
table.insert(targets, "/api/v1/dataset")
table.insert(targets, "/api/v1/places?q=shusha")
table.insert(targets, "/api/v1/locate?lat=39.8153&lon=46.7519&date=2022-03-25")

local i = 0
request = function()
  i = i + 1
  if i % 4 == 0 then
    return wrk.format("GET", "/api/v1/locate?compact=1&lat=39.8&lon=46.7&date=2022-03-25&uncertainty_m=" .. (i % 100000))
  end
  return wrk.format("GET", targets[(i % #targets) + 1])
end
