"""Time the renders and the maths; write bench/results.json and print a table (`make bench`).

    python bench/run.py            every scene previewed with `preview --watch`, naive-vs-exact at medium,
                                   maths, and the voice's share of a narrated render (the story twice)
    python bench/run.py --quick    low quality only: three scenes previewed, naive-vs-exact at low, maths
    python bench/run.py --full     the default plus issue 16's comparison: the silent explainer at
                                   1080p60 with --jobs 2 by the code at BASELINE (a git worktree) and by
                                   this code in one run, this code's first run and its narrated explainer;
                                   a profile of every scene; naive-vs-exact at high; a 4K render's memory

Caching is off everywhere (RenderOptions(cache=False): every frame is drawn and encoded); typeset
formulas are reused from the user cache (relu_explainer_cli.paths) as on any second render, after a
low-quality render that typesets them. Render-seconds per video-second = wall time / the clips'
durations. Results are written after every part, so an interrupted run keeps what it measured;
`parts_run` says which parts ran. The load average is recorded before and after each part: the
numbers mean little on a busy machine. See bench/README.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import signal
import subprocess
import sys
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)  # `bench.naive_approximate_square:...` is found from the repository root

import numpy as np  # noqa: E402

from relu_core import ReluSum, ReluTerm  # noqa: E402
from relu_explainer_cli.render import RenderOptions, render_scenes  # noqa: E402
from relu_explainer_cli.worker import video_duration  # noqa: E402
from scenes.explainer import STORY  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
CLI = Path(sys.executable).with_name("relu-explainer")
EXACT = "ApproximateSquare"
NAIVE = "bench.naive_approximate_square:NaiveApproximateSquare"
QUICK_SCENES = ("ReluUnit", "ApproximateSquare", "ZoomToLine")
PARTS = ("eval", "naive", "preview", "voice", "explainer", "profile", "fourk")

BASELINE = "b8f8dea"
"""The commit issue 16 measures the speed-up against: the code before it."""
TARGETS = {
    "explainer_speedup": (f"silent explainer at 1080p60, --jobs 2, against {BASELINE}", ">=", 1.5,
                          "x fewer render-s per video-s"),
    "explainer_bytes_ratio": (f"its bytes per video-second against {BASELINE}'s", "<=", 1.0, "x"),
    "naive_over_exact": ("exact polyline vs naive always_redraw plot", ">=", 4.0, "x faster"),
    "preview_first_s": ("first preview of the slowest scene (`preview --watch`, start-up included)", "<", 6.0,
                        "s wall"),
    "preview_next_s": ("second and later previews of the slowest scene", "<", 3.0, "s wall"),
    "eval_1000_terms_ms": ("1,000-term ReluSum on 10^6 points (worse of sorted/random)", "<", 50.0, "ms"),
    "fourk_peak_mb": ("memory of a 4K (2160p60) scene render, command + worker", "<", 3072, "MB"),
}


def load() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


SPEED_LOOP = 10 ** 7


def _spin(_: object = None) -> float:
    """Seconds for a fixed pure-Python loop (SPEED_LOOP additions of squares)."""
    start, total = time.perf_counter(), 0
    for i in range(SPEED_LOOP):
        total += i * i
    return time.perf_counter() - start


def machine_speed() -> dict[str, float]:
    """The same fixed loop alone, then in two processes at once: seconds. The build machines' speed
    changes by up to 2x over a day, and two busy processes do not always get two cores' worth, so each
    part records these beside its own figures.

    >>> sorted(machine_speed())
    ['one_s', 'two_at_once_s']
    """
    import multiprocessing
    alone = _spin()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pair = pool.map(_spin, range(2))
    return {"one_s": round(alone, 2), "two_at_once_s": round(max(pair), 2)}


def best_of(fn, repeats: int = 5) -> float:
    """The fastest of `repeats` calls, in ms."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


# -- parts -------------------------------------------------------------------------------------------
def bench_eval() -> dict:
    """A random 1,000-term ReluSum on 10^6 points, sorted (linspace) and unsorted; its vertices()."""
    rng = np.random.default_rng(0)
    a, b, c = rng.normal(size=(3, 1000))
    h = ReluSum(tuple(ReluTerm(*t) for t in zip(a, b, c)))
    grid = np.linspace(-5, 5, 10**6)
    points = rng.uniform(-5, 5, 10**6)
    build = best_of(lambda: ReluSum(h.terms))
    sorted_ms = best_of(lambda: h(grid))
    random_ms = best_of(lambda: h(points))
    vertices_ms = best_of(lambda: h.vertices(-5, 5))
    # the direct Σ c·g(a·x + b) on a smaller grid, as a check of the values (not timed)
    xs = points[:2000]
    direct = (np.maximum(np.outer(xs, a) + b, 0) * c).sum(axis=1)
    return {"terms": 1000, "points": 10**6, "best_of": 5,
            "sorted_linspace_ms": round(sorted_ms, 2), "random_unsorted_ms": round(random_ms, 2),
            "vertices_ms": round(vertices_ms, 3), "construct_ms": round(build, 2),
            "max_abs_diff_vs_direct_sum": float(np.max(np.abs(h(xs) - direct)))}


def render_timed(names: list[str], quality: str, jobs: int, out: Path) -> dict:
    """render_scenes with caching off; wall seconds and the clips' video seconds."""
    start = time.perf_counter()
    clips = render_scenes(names, {}, RenderOptions(quality=quality, jobs=jobs, cache=False, out_dir=out),
                          progress=lambda line: None)
    wall = time.perf_counter() - start
    video = sum(clip.duration for clip in clips)
    return {"scenes": [c.scene for c in clips], "quality": quality, "jobs": jobs, "wall_s": round(wall, 2),
            "video_s": round(video, 2), "render_s_per_video_s": round(wall / video, 3)}


def bench_naive(quality: str, out: Path) -> dict:
    """The exact-polyline ApproximateSquare and the naive one, one after the other, same quality."""
    warm_tex([EXACT], out)  # otherwise the first of the two would pay for LaTeX and the second not
    exact = render_timed([EXACT], quality, 1, out)
    naive = render_timed([NAIVE], quality, 1, out)
    return {"quality": quality, "exact": exact, "naive": naive,
            "ratio": round(naive["render_s_per_video_s"] / exact["render_s_per_video_s"], 2)}


PREVIEW_LINE = re.compile(r"^preview: (?P<path>.+) \((?P<seconds>[0-9.]+) s\)$")
PREVIEW_AGAIN = 2
"""Previews after the first, each set off by a tweak in the --params file the loop watches."""
PREVIEW_TWEAKS = ('theme = "dark"\n', 'theme = "light"\n')
"""The tweak: every colour on screen changes, so every frame is drawn anew (a user's edit, not a touch)."""


def bench_preview(names: list[str], out: Path) -> dict:
    """`relu-explainer preview NAME --watch`: seconds from the command's start to its first preview
    (Python start-up and imports included), then from each tweak of its TOML to the next preview.
    The formulas are typeset first (warm_tex), as for the other parts: a first preview times drawing,
    not LaTeX."""
    warm_tex(names, out)
    rows = {}
    for name in names:
        params = out / f"preview-{name}.toml"
        params.write_text(PREVIEW_TWEAKS[0])
        command = [str(CLI), "preview", name, "--watch", "--no-open", "--params", str(params),
                   "--out", str(out / f"preview-{name}")]
        start = time.perf_counter()
        watcher = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        times, said = [], []
        try:
            for line in watcher.stdout:
                said.append(line.rstrip())
                if not PREVIEW_LINE.match(line.strip()):
                    continue
                times.append(time.perf_counter() - start)
                if len(times) > PREVIEW_AGAIN:
                    break
                time.sleep(0.5)  # the loop is watching again
                start = time.perf_counter()
                params.write_text(PREVIEW_TWEAKS[len(times) % 2])
        finally:
            watcher.send_signal(signal.SIGINT)
            try:
                watcher.wait(timeout=20)
            except subprocess.TimeoutExpired:
                watcher.kill()
        if len(times) <= PREVIEW_AGAIN:
            rows[name] = {"error": "\n".join(said[-8:])}
            continue
        rows[name] = {"first_s": round(times[0], 2), "next_s": [round(t, 2) for t in times[1:]],
                      "video_s": round(video_duration(out / f"preview-{name}" / f"{name}.mp4"), 2)}
    return rows


def warm_tex(names: list[str], out: Path) -> None:
    """Typeset the scenes' formulas into the user cache (quick low-quality renders, not timed), so the
    timed renders after them all find them cached and compare drawing, not LaTeX."""
    render_scenes(names, {}, RenderOptions(quality="low", jobs=1, cache=False, out_dir=out),
                  progress=lambda line: None)


def bench_voice(names: list[str], out: Path) -> dict:
    """The voice's share of a narrated render: the story at low quality with piper, twice, into one
    fresh voice cache. The first run synthesises every beat; the second finds each in the cache and
    draws the very same frames, so (first - second) / first is the share synthesis takes."""
    from narration import VoiceError, check_voice
    from relu_explainer_cli.paths import CACHE_ENV, tex_cache
    try:
        check_voice("piper")
    except VoiceError as error:
        return {"error": str(error)}
    warm_tex(names, out)
    root = out / "voice-cache-root"
    shutil.copytree(tex_cache(), root / "tex", dirs_exist_ok=True)  # formulas warm, voices cold
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(root)
    try:
        runs = []
        for _ in range(2):
            start = time.perf_counter()
            clips = render_scenes(names, {}, RenderOptions(quality="low", jobs=2, cache=False, out_dir=out,
                                                            voice="piper"), progress=lambda line: None)
            runs.append((time.perf_counter() - start, sum(clip.duration for clip in clips)))
    finally:
        if before is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = before
    (cold, video), (warm, _) = runs
    return {"quality": "low", "jobs": 2, "video_s": round(video, 2), "cold_wall_s": round(cold, 2),
            "warm_wall_s": round(warm, 2), "voice_share": round((cold - warm) / cold, 3)}


def bench_profile(names: list[str], out: Path) -> dict:
    """Each scene at 1080p60, silent, alone, with bench/profile.py's timers: where its time goes."""
    warm_tex(names, out)
    rows = {}
    for name in names:
        done = subprocess.run([sys.executable, "-m", "bench.profile", name, "high", str(out / f"profile-{name}")],
                              capture_output=True, text=True, cwd=ROOT)
        rows[name] = (json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0
                      else {"error": (done.stderr or done.stdout)[-500:]})
    return rows


EXPLAINER_PROBE = """
import json, os, sys, time
from pathlib import Path
sys.path.insert(0, os.getcwd())
from relu_explainer_cli.render import RenderOptions, render_scenes
from scenes.explainer import STORY
out, voice, warm = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "warm"
extra = {} if voice == "none" else {"voice": voice}
quiet = lambda line: None
def cpu_seconds():  # this process and its reaped workers, user + system
    import resource
    return sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for field in ("ru_utime", "ru_stime"))
if warm:  # formulas typeset (and voices spoken) by a low-quality render first, not timed
    render_scenes(list(STORY), {}, RenderOptions(quality="low", jobs=2, cache=False, out_dir=out, **extra), progress=quiet)
cpu_before, start = cpu_seconds(), time.perf_counter()
clips = render_scenes(list(STORY), {}, RenderOptions(quality="high", jobs=2, cache=False, out_dir=out, **extra),
                      progress=quiet)
wall = time.perf_counter() - start
video = sum(clip.duration for clip in clips)
size = sum(clip.video.stat().st_size for clip in clips)
cpu = cpu_seconds() - cpu_before
print(json.dumps({"scenes": len(clips), "wall_s": round(wall, 2), "video_s": round(video, 2), "cpu_s": round(cpu, 1),
                  "render_s_per_video_s": round(wall / video, 3), "bytes": size,
                  "bytes_per_video_s": round(size / video)}))
"""


def explainer_run(tree: Path, out: Path, voice: str, warm: bool, cache_root: Path | None = None) -> dict:
    """The story at 1080p60 with --jobs 2, caching off, rendered by the code in `tree` (this venv)."""
    from relu_explainer_cli.paths import CACHE_ENV
    env = dict(os.environ, PYTHONPATH=str(tree))
    if cache_root is not None:
        env[CACHE_ENV] = str(cache_root)
    done = subprocess.run([sys.executable, "-c", EXPLAINER_PROBE, str(out), voice, "warm" if warm else "cold"],
                          capture_output=True, text=True, cwd=tree, env=env)
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout)[-800:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_explainer(out: Path) -> dict:
    """Issue 16's comparison, in one run: the silent explainer by the code at BASELINE (a git worktree,
    this venv) and by this code, formulas warm; this code's first run (empty caches) and its narrated
    explainer (piper, voices and formulas warm)."""
    tree = out / "baseline"
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), BASELINE], cwd=ROOT, check=True,
                   capture_output=True)
    try:
        baseline = explainer_run(tree, out / "baseline-out", "none", warm=True)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
    cold = explainer_run(ROOT, out / "cold-out", "none", warm=False, cache_root=out / "empty-cache")
    silent = explainer_run(ROOT, out / "silent-out", "none", warm=True)
    narrated = explainer_run(ROOT, out / "narrated-out", "piper", warm=True)
    row = {"baseline_commit": BASELINE, "baseline_silent": baseline, "silent": silent, "silent_first_run": cold,
           "narrated": narrated}
    if "error" not in baseline and "error" not in silent:
        row["speedup"] = round(baseline["render_s_per_video_s"] / silent["render_s_per_video_s"], 2)
        row["bytes_per_video_s_ratio"] = round(silent["bytes_per_video_s"] / baseline["bytes_per_video_s"], 3)
    return row


FOURK_SCENE = "TwoNeuronRegions"  # the largest filled areas of the story
FOURK_PROBE = """
import json, resource, sys, time
from pathlib import Path
from relu_explainer_cli.render import RenderOptions, render_scenes
start = time.perf_counter()
clips = render_scenes([sys.argv[1]], {}, RenderOptions(quality="4k", jobs=1, cache=False, out_dir=Path(sys.argv[2])),
                      progress=lambda line: None)
print(json.dumps({"wall_s": round(time.perf_counter() - start, 2), "video_s": round(clips[0].duration, 2),
                  "parent_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}))
"""


def bench_fourk(out: Path) -> dict:
    """One scene at 2160p60 in a fresh process: peak resident memory of the command and of its worker.

    Their sum bounds the render's memory (both peaks need not fall at the same moment)."""
    warm_tex([FOURK_SCENE], out)
    done = subprocess.run([sys.executable, "-c", FOURK_PROBE, FOURK_SCENE, str(out)], capture_output=True,
                          text=True, cwd=ROOT)
    if done.returncode != 0:
        return {"scene": FOURK_SCENE, "error": (done.stderr or done.stdout)[-500:]}
    row = json.loads(done.stdout.strip().splitlines()[-1])
    return {"scene": FOURK_SCENE, **row, "total_peak_mb": row["parent_peak_mb"] + row["worker_peak_mb"]}


# -- report ------------------------------------------------------------------------------------------
def verdicts(results: dict) -> dict:
    parts = results["parts"]
    measured = {}
    if "speedup" in parts.get("explainer", {}):
        measured["explainer_speedup"] = parts["explainer"]["speedup"]
        measured["explainer_bytes_ratio"] = parts["explainer"]["bytes_per_video_s_ratio"]
    if "naive" in parts:
        measured["naive_over_exact"] = parts["naive"]["ratio"]
    if "preview" in parts:
        rows = parts["preview"].values()
        failed = any("error" in r for r in rows)
        measured["preview_first_s"] = float("inf") if failed else max(r["first_s"] for r in rows)
        measured["preview_next_s"] = float("inf") if failed else max(max(r["next_s"]) for r in rows)
    if "eval" in parts:
        measured["eval_1000_terms_ms"] = max(parts["eval"]["sorted_linspace_ms"], parts["eval"]["random_unsorted_ms"])
    if "fourk" in parts and "total_peak_mb" in parts["fourk"]:
        measured["fourk_peak_mb"] = parts["fourk"]["total_peak_mb"]
    out = {}
    for key, (what, op, limit, unit) in TARGETS.items():
        if key not in measured:
            out[key] = {"what": what, "target": f"{op} {limit} {unit}", "measured": None, "pass": None}
            continue
        value = measured[key]
        ok = {"<=": value <= limit, ">=": value >= limit, "<": value < limit}[op]
        out[key] = {"what": what, "target": f"{op} {limit} {unit}", "measured": value, "pass": ok}
    return out


def table(results: dict) -> str:
    lines = ["| target | goal | measured | pass |", "|---|---|---|---|"]
    for v in results["targets"].values():
        m = "not run" if v["measured"] is None else f"{v['measured']:g}"
        p = "–" if v["pass"] is None else ("pass" if v["pass"] else "FAIL")
        lines.append(f"| {v['what']} | {v['target']} | {m} | {p} |")
    parts = results["parts"]
    if "preview" in parts:
        lines += ["", "| `preview SCENE --watch` (480p15) | first s (start-up included) | next s | video s |",
                  "|---|---|---|---|"]
        for name, r in parts["preview"].items():
            lines.append(f"| {name} | error | | |" if "error" in r else
                         f"| {name} | {r['first_s']} | {', '.join(map(str, r['next_s']))} | {r['video_s']} |")
    if "naive" in parts:
        n = parts["naive"]
        lines += ["", f"| ApproximateSquare at {n['quality']} | wall s | video s | render-s / video-s |",
                  "|---|---|---|---|"]
        for kind in ("exact", "naive"):
            r = n[kind]
            lines.append(f"| {kind} | {r['wall_s']} | {r['video_s']} | {r['render_s_per_video_s']} |")
        lines.append(f"| naive / exact | | | {n['ratio']}x |")
    if "eval" in parts:
        e = parts["eval"]
        lines += ["", "| 1,000-term ReluSum | ms (best of 5) |", "|---|---|",
                  f"| 10^6 sorted points (linspace) | {e['sorted_linspace_ms']} |",
                  f"| 10^6 random unsorted points | {e['random_unsorted_ms']} |",
                  f"| vertices() | {e['vertices_ms']} |"]
    if "fourk" in parts and "total_peak_mb" in parts["fourk"]:
        f = parts["fourk"]
        lines += ["", "| 4K (2160p60), jobs 1 | value |", "|---|---|",
                  f"| scene | {f['scene']} |", f"| wall s / video s | {f['wall_s']} / {f['video_s']} |",
                  f"| peak memory, command + worker | {f['parent_peak_mb']} + {f['worker_peak_mb']} = "
                  f"{f['total_peak_mb']} MB |"]
    if "voice" in parts and "voice_share" in parts["voice"]:
        v = parts["voice"]
        lines += ["", "| narrated story, low quality, --jobs 2 | value |", "|---|---|",
                  f"| first render (every beat synthesised) | {v['cold_wall_s']} s |",
                  f"| second render (voices from the cache) | {v['warm_wall_s']} s |",
                  f"| video | {v['video_s']} s |", f"| the voice's share of the first render | "
                  f"{round(100 * v['voice_share'])} % |"]
    if "explainer" in parts:
        e = parts["explainer"]
        lines += ["", "| 1080p60, --jobs 2, caching off | wall s | video s | render-s / video-s | MB | kB per video-s |",
                  "|---|---|---|---|---|---|"]
        for key, label in (("baseline_silent", f"silent, {e['baseline_commit']} (formulas warm)"),
                           ("silent", "silent, this code (formulas warm)"),
                           ("silent_first_run", "silent, this code, first run (empty caches)"),
                           ("narrated", "narrated, this code (voices and formulas warm)")):
            r = e[key]
            lines.append(f"| {label} | {r['wall_s']} | {r['video_s']} | {r['render_s_per_video_s']} | "
                         f"{r['bytes'] / 1e6:.1f} | {r['bytes_per_video_s'] / 1e3:.0f} |" if "error" not in r
                         else f"| {label} | error | | | | |")
    if "profile" in parts:
        lines += ["", "| 1080p60, silent, jobs 1, one x264 thread | wall s | video s | draw | scene | svg parse | "
                  "TeX | encoder wait | convert | encode | frames shown / drawn / encoded |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for name, r in parts["profile"].items():
            if "error" in r:
                lines.append(f"| {name} | error |" + " |" * 9)
                continue
            t, f, fl = r["parts_s"], r["frames"], r["floor_s"]
            lines.append(f"| {name} | {r['wall_s']} | {r['video_s']} | {t['draw']} (floor {fl['draw']}) | "
                         f"{t['scene']} | {t['svg_parse']} | {t['tex']} | {t['encoder_wait']} | "
                         f"{t['convert']} (floor {fl['convert']}) | {t['encode']} (floor {fl['encode']}) | "
                         f"{f['shown']} / {f['drawn']} / {f['encoded']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="low quality only, three scenes")
    mode.add_argument("--full", action="store_true", help="also the 1080p60 explainer (jobs 1 and 2)")
    parser.add_argument("--naive-quality", choices=("low", "medium", "high"),
                        help="quality of the naive-vs-exact pair (default: low / medium / high by mode)")
    parser.add_argument("--only", nargs="+", choices=PARTS,
                        help="run only these parts (merged into an existing results.json)")
    args = parser.parse_args(argv)

    mode_name = "quick" if args.quick else "full" if args.full else "default"
    naive_quality = args.naive_quality or {"quick": "low", "default": "medium", "full": "high"}[mode_name]
    previews = list(QUICK_SCENES) if args.quick else list(STORY)
    parts = args.only or ["eval", "preview", "naive", "voice"] + (["explainer", "profile", "fourk"] if args.full else [])

    import manim
    results = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "mode": mode_name,
               "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "manim": manim.__version__,
                           "platform": platform.platform()},
               "caching": "off", "parts_run": [], "load": {}, "parts": {}}
    if args.only and RESULTS.exists():  # keep the other parts of an earlier run
        earlier = json.loads(RESULTS.read_text())
        results["parts"], results["load"] = earlier.get("parts", {}), earlier.get("load", {})
        results["parts_run"] = [p for p in earlier.get("parts_run", []) if p not in parts]
        results["earlier_date"] = earlier.get("date")
        results["mode"] = f"{earlier.get('mode')} + --only {' '.join(parts)} ({mode_name})"

    def save() -> None:
        results["targets"] = verdicts(results)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")

    with tempfile.TemporaryDirectory(prefix="relu-bench-") as tmp:
        out = Path(tmp)
        for part in parts:
            before, speed = load(), machine_speed()
            started = time.perf_counter()
            print(f"bench: {part} ...", flush=True)
            if part == "eval":
                results["parts"]["eval"] = bench_eval()
            elif part == "naive":
                results["parts"]["naive"] = bench_naive(naive_quality, out)
            elif part == "preview":
                results["parts"]["preview"] = bench_preview(previews, out)
            elif part == "explainer":
                results["parts"]["explainer"] = bench_explainer(out)
            elif part == "profile":
                results["parts"]["profile"] = bench_profile(list(STORY), out)
            elif part == "fourk":
                results["parts"]["fourk"] = bench_fourk(out)
            elif part == "voice":
                results["parts"]["voice"] = bench_voice(list(STORY), out)
            results["load"][part] = {"mode": mode_name, "before": before, "after": load(), "speed": speed,
                                     "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                                     "part_wall_s": round(time.perf_counter() - started, 1)}
            results["parts_run"].append(part)
            save()
    print(table(results))
    print(f"\nwritten {RESULTS.relative_to(ROOT)} (load average now {load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
