"""relu-explainer: the command that renders, stitches and lists the explainer scenes."""
import os

BLAS_THREADS = "1"
"""OpenBLAS threads for numpy in the command and its workers (OPENBLAS_NUM_THREADS, unless the user set
it; it must be set before numpy is imported, so it is set here). The scenes' matrices are tiny and a
render already keeps every core busy with its own processes: OpenBLAS's idle threads only spun beside
them (2 % of a preview's CPU in perf, RulerAndProtractor at 480p15)."""
os.environ.setdefault("OPENBLAS_NUM_THREADS", BLAS_THREADS)
