"""Reference PCA with scikit-learn, for the nf-pca tests.

Usage: /usr/bin/python3 sklearn_ref.py IN.csv K SCALE(1|0) FITROWS OUT_PREFIX
FITROWS 0 = fit on all rows. Constant columns keep scale 1. StandardScaler divides by the population SD
(n), so the data are scaled here with the sample SD (n-1), as R and nf-pca
do. Writes OUT_scores.csv (pc1..pcK, spe, t2), OUT_eig.csv (all
explained_variance_), OUT_load.csv; signs as nf-pca's convention.
"""
import sys

import numpy as np
from sklearn.decomposition import PCA

path, k, scale, nfit, out = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", int(sys.argv[4]), sys.argv[5]
x = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
fit = x[:nfit] if nfit > 0 else x
mean = fit.mean(axis=0)
sd = fit.std(axis=0, ddof=1) if scale else np.ones(x.shape[1])
sd[sd == 0] = 1  # constant columns keep scale 1, as nf-pca does
pca = PCA(svd_solver="full").fit((fit - mean) / sd)
comp = pca.components_.copy()
for c in comp:
    if c[np.argmax(np.abs(c))] < 0:
        c *= -1
z = (x - mean) / sd
v = comp[:k]
s = z @ v.T
res = z - s @ v
spe = (res**2).sum(axis=1)
t2 = (s**2 / pca.explained_variance_[:k]).sum(axis=1)
fmt = "%.17g"
np.savetxt(out + "_scores.csv", np.column_stack([s, spe, t2]), delimiter=",", fmt=fmt)
# min(n, p) components; with fewer rows than columns the rest have variance 0
eig = np.pad(pca.explained_variance_, (0, x.shape[1] - len(pca.explained_variance_)))
np.savetxt(out + "_eig.csv", eig[None, :], delimiter=",", fmt=fmt)
np.savetxt(out + "_load.csv", v, delimiter=",", fmt=fmt)
