# loess_lm.R N WINDOW DEGREE: an independent trend-only loess by weighted least
# squares (R's lm) at every point: the window of WINDOW consecutive points
# around i (shifted to stay inside 1..N), tricube weights of |j - i| / h with
# h the distance to the farther end of the window, weight 0 beyond 0.999 h.
# Reads "v" values one per line on stdin, prints the fitted trend.
a <- as.integer(commandArgs(TRUE))
n <- a[1]; len <- a[2]; deg <- a[3]
y <- scan(file = "stdin", quiet = TRUE)
half <- (len - 1) %/% 2
fit <- numeric(n)
for (i in 1:n) {
    lo <- max(1, min(i - half, n - len + 1)); hi <- lo + len - 1
    j <- lo:hi
    h <- max(i - lo, hi - i)
    r <- abs(j - i)
    w <- ifelse(r <= 0.999 * h, (1 - (r / h)^3)^3, 0)
    d <- data.frame(x = j, y = y[j])
    m <- if (deg == 1) lm(y ~ x, data = d, weights = w) else lm(y ~ 1, data = d, weights = w)
    fit[i] <- predict(m, newdata = data.frame(x = i))
}
writeLines(sprintf("%.17g", fit))
