-- wrk script for benches/soak.sh: POST CSV batches of 2,000 rows.
local rows = {"lat,lon,date,id"}
for i = 1, 2000 do
  rows[#rows + 1] = string.format("39.%04d,46.%04d,2022-03-25,row-%d", i % 2000 + 6000, i % 3000 + 5000, i)
end
wrk.method = "POST"
wrk.body = table.concat(rows, "\n") .. "\n"
wrk.headers["Content-Type"] = "text/csv"
