"""``make bench``: a school-scale data set, the app served by gunicorn beside a minimal floor app, load
from wrk, and one table of what each core page costs. See the README's "性能基准 · Benchmark"."""
