# stl_statsmodels.py CSV PERIOD SWINDOW ROBUST(0|1) [name=value ...]: statsmodels STL
# given R stl()'s settings (README of ../shared/reference), including the
# cycle means R applies for s.window="periodic"; prints trend,seasonal,remainder.
import sys, math
import numpy as np
from statsmodels.tsa.seasonal import STL
# sm.py CSV PERIOD SWINDOW ROBUST [key=value ...]: R's stl() settings given to statsmodels
f, period, sw, robust = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
x = np.loadtxt(f, delimiter=",", skiprows=1, usecols=1)
n = len(x)
extra = dict(kv.split("=") for kv in sys.argv[5:])
def nextodd(v):
    v = int(round(v)); return v + 1 if v % 2 == 0 else v
periodic = sw == "periodic"
sw = 10 * n + 1 if periodic else int(sw)
sdeg = 0 if periodic else int(extra.get("s.degree", 0))
tw = int(extra.get("t.window", nextodd(math.ceil(1.5 * period / (1 - 1.5 / sw)))))
lw = int(extra.get("l.window", nextodd(period)))
tdeg = int(extra.get("t.degree", 1)); ldeg = int(extra.get("l.degree", tdeg))
sj = int(extra.get("s.jump", math.ceil(sw / 10))); tj = int(extra.get("t.jump", math.ceil(tw / 10)))
lj = int(extra.get("l.jump", math.ceil(lw / 10)))
inner = int(extra.get("inner", 1 if robust else 2)); outer = int(extra.get("outer", 15 if robust else 0))
r = STL(x, period=period, seasonal=sw, trend=tw, low_pass=lw, seasonal_deg=sdeg, trend_deg=tdeg,
        low_pass_deg=ldeg, seasonal_jump=sj, trend_jump=tj, low_pass_jump=lj,
        robust=robust).fit(inner_iter=inner, outer_iter=outer)
seas = np.asarray(r.seasonal)
if periodic:
    seas = np.array([seas[i::period].mean() for i in range(period)])[np.arange(n) % period]
trend = np.asarray(r.trend)
rem = x - seas - trend
for a, b, c in zip(trend, seas, rem):
    print("%.17g,%.17g,%.17g" % (a, b, c))
