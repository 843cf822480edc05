"""Cross-check of `fixres fit-frechet` against scipy's maximum-likelihood GEV fit.

Usage (a Python with scipy ≥ 1.11):  python3 bench/reference/frechet_scipy.py values.txt [xi]
scipy's genextreme uses c = −ξ. Exact zeros are fitted twice: as ordinary values ("include") and
as left-censored at 0 ("censored", scipy.stats.CensoredData), the two treatments fixres offers.
"""
import sys

import numpy as np
from scipy import stats

values = np.loadtxt(sys.argv[1], comments="#")
xi = float(sys.argv[2]) if len(sys.argv) > 2 else 0.3
zeros = values == 0
print(f"n = {values.size}, zero fraction = {zeros.mean():.4f}, xi fixed at {xi}")
c, mu, sigma = stats.genextreme.fit(values, f0=-xi)
ll = stats.genextreme.logpdf(values, c, mu, sigma).sum()
print(f"include : mu = {mu:.6f}  sigma = {sigma:.6f}  loglik = {ll:.3f}")
if zeros.any():
    data = stats.CensoredData(uncensored=values[~zeros], left=values[zeros])
    c, mu, sigma = stats.genextreme.fit(data, f0=-xi)
    ll = stats.genextreme.logpdf(values[~zeros], c, mu, sigma).sum() + zeros.sum() * stats.genextreme.logcdf(0, c, mu, sigma)
    print(f"censored: mu = {mu:.6f}  sigma = {sigma:.6f}  loglik = {ll:.3f}")
c, mu, sigma = stats.genextreme.fit(values)
print(f"free xi (include): xi = {-c:.5f}  mu = {mu:.6f}  sigma = {sigma:.6f}")
