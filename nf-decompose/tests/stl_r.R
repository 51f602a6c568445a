# stl_r.R CSV PERIOD SWINDOW ROBUST(0|1) [name=value ...]: R stats::stl of a NAB
# "timestamp,value" CSV; prints trend,seasonal,remainder per row (17 digits).
a <- commandArgs(TRUE)
d <- read.csv(a[1])
x <- ts(d$value, frequency = as.integer(a[2]))
sw <- if (a[3] == "periodic") "periodic" else as.integer(a[3])
args <- list(x, s.window = sw, robust = a[4] == "1")
if (length(a) > 4) for (kv in strsplit(a[5:length(a)], "=")) args[[kv[1]]] <- as.numeric(kv[2])
s <- do.call(stl, args)
write.table(format(s$time.series[, c("trend","seasonal","remainder")], digits = 17), sep = ",", quote = FALSE, row.names = FALSE, col.names = FALSE)
