# Draws docs/performance-scaling.png from docs/bench/scaling.csv (benches/scaling.rs)
# and docs/bench/postgis.csv (benches/compare.sh). Run from the repository root:
# `make bench-plot` (gnuplot, Debian's gnuplot-nox).
set terminal pngcairo size 1100,460 enhanced font "sans,10"
set output "docs/performance-scaling.png"
set datafile separator ","
set key autotitle columnhead
set logscale xy
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set format x "10^{%L}"
set format y "10^{%L}"
set xrange [50:2000000]
set multiplot layout 1,2

set title "Time per point (boundary search: inside/outside + geodesic distance)"
set xlabel "vertices in the boundary"
set ylabel "µs"
set key top left font ",10" spacing 1.1
plot "docs/bench/scaling.csv" using 1:($8/1000) with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "ours, in process: mean (CPU time)", \
     "" using 1:($6/1000) with linespoints lw 1 pt 6 dt 2 lc rgb "#1f77b4" title "ours: p50", \
     "" using 1:($7/1000) with linespoints lw 1 pt 4 dt 3 lc rgb "#1f77b4" title "ours: p99 (wall)", \
     "docs/bench/postgis.csv" using 1:($7*1000/$2) with linespoints lw 2 pt 5 lc rgb "#d62728" title "PostGIS: one statement over all points", \
     "" using 1:($9*1000) with linespoints lw 1 pt 9 dt 2 lc rgb "#d62728" title "PostGIS: per request, p50 (TCP, prepared)", \
     "" using 1:($12*1000) with linespoints lw 1 pt 11 dt 4 lc rgb "#ff7f0e" title "PostGIS, subdivided: per request, p50"

set title "Building the index, and its heap"
set ylabel "ms  /  MB"
set key top left font ",10"
plot "docs/bench/scaling.csv" using 1:2 with linespoints lw 2 pt 7 lc rgb "#2ca02c" title "build (CPU ms)", \
     "" using 1:3 with linespoints lw 2 pt 5 lc rgb "#9467bd" title "heap after build (MB)", \
     "" using 1:4 with linespoints lw 1 pt 4 dt 2 lc rgb "#9467bd" title "heap after the queries (MB)"
unset multiplot
