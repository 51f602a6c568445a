#!/usr/bin/env Rscript
# pca.R - a stand-in for `nf-pca` written with R's prcomp.
#
#   nf-features ... | Rscript docs/examples/pca.R 3 | nf-decompose --period 1d ...
#
# Reads NDJSON records (docs/records.md) on stdin, standardises every
# numeric column but the time key WINDOW_START and WINDOW_END (sample SD,
# n-1), keeps K components (first argument, default 3) and writes each
# record's other keys followed by pc1..pcK, spe (squared residual of the
# standardised row) and t2 (Hotelling). Signs follow nf-pca's convention:
# the largest-magnitude loading of each component is positive. Constant
# columns are dropped, as nf-pca leaves them out of the fit. Needs
# Debian's r-base-core and r-cran-jsonlite.
suppressMessages(library(jsonlite))
args <- commandArgs(trailingOnly = TRUE)
k <- if (length(args) >= 1) as.integer(args[1]) else 3L
rows <- stream_in(file("stdin"), verbose = FALSE, simplifyVector = TRUE)
time_keys <- c("WINDOW_START", "WINDOW_END")
numeric_cols <- names(rows)[vapply(rows, is.numeric, logical(1)) & !(names(rows) %in% time_keys)]
x <- as.matrix(rows[, numeric_cols, drop = FALSE])
x <- x[, apply(x, 2, sd) > 0, drop = FALSE]
fit <- prcomp(x, center = TRUE, scale. = TRUE)
rot <- fit$rotation[, seq_len(k), drop = FALSE]
for (j in seq_len(k)) if (rot[which.max(abs(rot[, j])), j] < 0) rot[, j] <- -rot[, j]
z <- scale(x, center = fit$center, scale = fit$scale)
scores <- z %*% rot
residual <- z - scores %*% t(rot)
out <- rows[, setdiff(names(rows), numeric_cols), drop = FALSE]
for (j in seq_len(k)) out[[paste0("pc", j)]] <- scores[, j]
out$spe <- rowSums(residual^2)
out$t2 <- rowSums(sweep(scores^2, 2, fit$sdev[seq_len(k)]^2, "/"))
stream_out(out, con = stdout(), verbose = FALSE, digits = NA)
