import os, sys, time
os.environ["OVERBLIK_TODAY"]="2026-11-29"
novalid = len(sys.argv) > 1
import plotly.graph_objects as go
if novalid:
    orig = go.Figure.__init__
    def init(self, *a, **k):
        k.setdefault("_validate", False)
        orig(self, *a, **k)
    go.Figure.__init__ = init
from overblik import costcurve as cc, regions_compare as rc, filters, udgifter as u, viewcache
opts = filters.options()
codes = list(opts["municipalities"])
f0 = filters.Filters(2016, 2027, (), tuple(opts["municipalities"]), opts["names"], "alle")
u.view(f0, fixed=False, per_capita=False, breakdown="Område"); cc.view(f0.params(), f0.scope_label); rc.view(f0)
ts=[]
for i in range(4):
    f = filters.Filters(2017+i, 2024, (codes[i+3],), tuple(opts["municipalities"]), opts["names"], "alle")
    t=time.perf_counter()
    u.view(f, fixed=True, per_capita=True, breakdown="Område"); cc.view(f.params(), f.scope_label); rc.view(f)
    ts.append(time.perf_counter()-t)
print("novalid" if novalid else "valid", [round(x,3) for x in ts])
