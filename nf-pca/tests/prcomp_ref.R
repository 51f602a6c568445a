# Reference PCA with R's prcomp (SVD of the centred/scaled data), for the
# nf-pca tests. Usage: Rscript prcomp_ref.R IN.csv K SCALE(1|0) ALPHA FITROWS OUT_PREFIX
# FITROWS 0 = fit on all rows. Writes OUT_scores.csv (pc1..pcK, spe, t2 of
# every row), OUT_eig.csv, OUT_load.csv (one component per line) and
# OUT_limits.csv (spe_limit, t2_limit), signs set so that each component's
# largest-magnitude loading is positive.
a <- commandArgs(trailingOnly = TRUE)
x <- as.matrix(read.csv(a[1]))
k <- as.integer(a[2]); sc <- a[3] == "1"; alpha <- as.numeric(a[4])
nfit <- as.integer(a[5]); out <- a[6]
fitx <- if (nfit > 0) x[seq_len(nfit), , drop = FALSE] else x
# Constant columns keep scale 1, as nf-pca does (prcomp refuses to scale them).
sds <- apply(fitx, 2, sd)
p <- prcomp(fitx, center = TRUE, scale. = if (sc) ifelse(sds == 0, 1, sds) else FALSE)
rot <- p$rotation
for (j in seq_len(ncol(rot))) {
    i <- which.max(abs(rot[, j]))
    if (rot[i, j] < 0) rot[, j] <- -rot[, j]
}
# With fewer rows than columns prcomp gives min(n, p) components; the rest
# have variance 0, as nf-pca writes them.
lambda <- c(p$sdev^2, rep(0, ncol(x) - length(p$sdev)))
z <- scale(x, center = p$center, scale = if (sc) p$scale else FALSE)
v <- rot[, seq_len(k), drop = FALSE]
s <- z %*% v
res <- z - s %*% t(v)
spe <- rowSums(res^2)
t2 <- rowSums(sweep(s^2, 2, lambda[seq_len(k)], "/"))
w <- function(m, f) write.table(format(m, digits = 17), f, sep = ",", quote = FALSE,
                                row.names = FALSE, col.names = FALSE)
w(cbind(s, spe, t2), paste0(out, "_scores.csv"))
w(matrix(lambda, nrow = 1), paste0(out, "_eig.csv"))
w(t(v), paste0(out, "_load.csv"))
# Limits recomputed from the formulas (Jackson & Mudholkar 1979; F-based T^2).
r <- lambda[-seq_len(k)]
th <- c(sum(r), sum(r^2), sum(r^3))
h0 <- 1 - 2 * th[1] * th[3] / (3 * th[2]^2)
ca <- qnorm(1 - alpha)
spe_lim <- th[1] * (ca * sqrt(2 * th[2] * h0^2) / th[1] + 1 + th[2] * h0 * (h0 - 1) / th[1]^2)^(1 / h0)
if (!(h0 > 0)) spe_lim <- th[2] / th[1] * qchisq(1 - alpha, th[1]^2 / th[2])
n <- nrow(fitx)
t2_lim <- k * (n - 1) * (n + 1) / (n * (n - k)) * qf(1 - alpha, k, n - k)
w(matrix(c(spe_lim, t2_lim), nrow = 1), paste0(out, "_limits.csv"))
