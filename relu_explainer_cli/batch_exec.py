"""Where a batch's variants render: a local pool of worker processes, or a Dask distributed cluster.

One task is one variant: `render_variant(task)` renders it in a temporary folder of its own (its own
media and TeX folders) with the same worker `render` uses (`python -m relu_explainer_cli.worker`, a
fresh process, so no state leaks from one variant into the next and every executor writes the same
bytes), and returns the files' bytes: workers need not share a disk with the command, which writes
them. Both executors answer alike: `submit(variant)`, `finished(timeout)` -> [(variant, result)]
(each returned again until `collected(variant)`, so a Ctrl-C while one is being written loses none),
`running()`, `close()`.

A worker killed under a task (the kernel's out-of-memory killer, a machine gone) has its task run
again: by Dask, which reschedules the tasks of a dead worker; by the local pool, which reruns a
variant whose worker died of a signal it did not send, up to RETRIES times.

A stop (Ctrl-C) ends the renders running now: the local pool terminates its worker processes; on Dask,
where cancelling a running task does not stop it (dask/distributed#2617), the command sets a
`distributed.Event` of its own, and each task, watching it, terminates its render.
"""
from __future__ import annotations

import concurrent.futures
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Mapping

__all__ = ["render_variant", "LocalPool", "DaskPool", "check_dask", "RETRIES", "DASK_INSTALL"]

RETRIES = 2
"""How many times the local pool reruns a variant whose worker was killed (Dask: its allowed-failures)."""
LOG_LINES = 60
DASK_INSTALL = "pip install 'relu-explainer[batch]' (or: pip install 'dask[distributed]')"


def render_variant(task: Mapping[str, Any], stopping: threading.Event | None = None,
                   started: Any = None) -> dict[str, Any]:
    """Render one variant (a `Variant.task()`) in a temporary folder; return its files and how it went.

    The result: {"status": "done", "video": bytes, "srt": bytes | None, "duration", "seconds", "host"},
    or {"status": "failed" | "killed", "error": one line, "log": the worker's last lines}. "killed"
    means its worker died of a signal (and may be run again). `started(process)` is told the worker
    process, so a local pool can stop it; `stopping` set means the pool stopped it on purpose.
    """
    from .batch_plan import source_digest
    from .job import Job
    from .paths import cache_root, tex_cache
    from .render import worker_env
    began = time.perf_counter()
    if task.get("source") and source_digest.__wrapped__(task["module"]) != task["source"]:  # as on disk now
        return {"status": "failed", "log": "", "seconds": 0.0, "host": socket.gethostname(),
                "error": f"this worker's code for {task['module']} differs from the command's: install the "
                         f"same relu-explainer (and scenes) on every worker"}
    with tempfile.TemporaryDirectory(prefix="relu-explainer-batch-") as tmp:
        folder = Path(tmp)
        job_file, result_file, log_file = folder / "job.json", folder / "result.json", folder / "worker.log"
        Job(scene=task["scene"], module=task["module"], cls=task["cls"], overrides=dict(task["overrides"]),
            media_dir=str(folder / "media"), tex_cache=str(tex_cache()), cache_dir=str(cache_root()),
            result=str(result_file), quality=task["quality"], fps=task["fps"], format=task["format"],
            cache=False,  # manim's cache hashes mobjects, not code: a batch renders every frame afresh
            parallel=True,  # one x264 thread: the same bytes on a 2-core laptop and a 64-core worker
            theme=task["theme"], voice=task["voice"]).write(job_file)
        with open(log_file, "wb") as log:
            # Its own session: a Ctrl-C at the terminal reaches the command only, which stops it.
            process = subprocess.Popen(
                [sys.executable, "-m", "relu_explainer_cli.worker", str(job_file), "--parent", str(os.getpid())],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=worker_env(),
                start_new_session=True)
            if started is not None:
                started(process)
            rc = process.wait()
        host = socket.gethostname()
        seconds = time.perf_counter() - began
        if rc == 0:
            import json
            result = json.loads(result_file.read_text())
            video = Path(result["video"]).read_bytes()
            srt = Path(result["srt"]).read_bytes() if result.get("srt") else None
            return {"status": "done", "video": video, "srt": srt, "duration": float(result["duration"]),
                    "seconds": seconds, "host": host}
        tail = _tail(log_file)
        if rc < 0:
            name = _signal_name(-rc)
            stopped = stopping is not None and stopping.is_set()
            return {"status": "stopped" if stopped else "killed", "error": f"its worker was killed by {name}",
                    "log": tail, "seconds": seconds, "host": host}
        why = _EXIT_REASONS.get(rc, "worker exit {rc}: {last}").format(rc=rc, last=_last_line(tail), host=host)
        return {"status": "failed", "error": why, "log": tail, "seconds": seconds, "host": host}


_EXIT_REASONS = {  # relu_explainer_cli.worker's exit codes
    3: "LaTeX is missing on {host}: run `make setup` there",
    4: "no space left on {host} for the render's temporary folder",
    5: "a folder on {host} refused a write: {last}",
}


def _tail(path: Path, lines: int = LOG_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(line.rstrip() for line in text.splitlines()[-lines:])


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


class WorkerKilled(RuntimeError):
    """A variant's worker process died of a signal while its Dask worker lived on: Dask retries it."""


STOP_CHECK_S = 0.5
"""How often a render on a Dask worker checks whether the command has stopped the batch."""


def _stop_when_set(event, process: subprocess.Popen, stopping: threading.Event) -> None:
    """Terminate `process` (and set `stopping`) once the distributed.Event `event` is set; return when
    the process has ended either way."""
    while process.poll() is None:
        if event.wait(timeout=STOP_CHECK_S):
            stopping.set()
            process.terminate()
            return


def _dask_task(task: Mapping[str, Any], stop_event: str | None = None) -> dict[str, Any]:
    """render_variant on a Dask worker; a killed render raises, so that Dask runs it again (retries).

    With `stop_event` (a distributed.Event's name) the render is terminated once that event is set."""
    stopping = threading.Event()

    def started(process: subprocess.Popen) -> None:
        if stop_event is not None:
            from distributed import Event, get_client
            event = Event(stop_event, client=get_client())  # the client found here, in the task's thread
            threading.Thread(target=_stop_when_set, args=(event, process, stopping), name="stop-watch",
                             daemon=True).start()

    result = render_variant(task, stopping, started)
    if result["status"] == "killed":
        raise WorkerKilled(f"{result['error']}; last lines of its log:\n{result['log']}")
    return result


class LocalPool:
    """Up to `jobs` variants at once on this machine, each in its own worker process.

    >>> pool = LocalPool(2)
    >>> pool.running(), pool.finished(0.01)
    (0, [])
    >>> pool.close()
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="batch")
        self._futures: dict[concurrent.futures.Future, Any] = {}
        self._processes: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._busy = 0
        self.reruns = 0

    def submit(self, variant) -> None:
        self._futures[self._executor.submit(self._run, variant.task())] = variant

    def _run(self, task: Mapping[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._busy += 1
        try:
            for attempt in range(RETRIES + 1):
                if self._stopping.is_set():
                    return {"status": "stopped", "error": "stopped", "log": ""}
                result = render_variant(task, self._stopping, self._started)
                if result["status"] != "killed" or attempt == RETRIES:
                    break
                with self._lock:
                    self.reruns += 1
            result["attempts"] = attempt + 1
            return result
        finally:
            with self._lock:
                self._busy -= 1

    def _started(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._processes = {p for p in self._processes if p.poll() is None} | {process}
            if self._stopping.is_set():
                process.terminate()

    def running(self) -> int:
        return self._busy

    def finished(self, timeout: float) -> list[tuple[Any, dict[str, Any]]]:
        if not self._futures:
            time.sleep(timeout)
            return []
        done, _ = concurrent.futures.wait(list(self._futures), timeout=timeout,
                                          return_when=concurrent.futures.FIRST_COMPLETED)
        out = []
        for future in done:
            variant = self._futures[future]
            try:
                out.append((variant, future.result()))
            except Exception as error:  # render_variant itself failed (e.g. no room for its temp folder)
                out.append((variant, {"status": "failed", "error": f"{type(error).__name__}: {error}", "log": ""}))
        return out

    def collected(self, variant) -> None:
        """`variant`'s result is written: `finished` no longer returns it (until then it does, again)."""
        self._futures = {f: v for f, v in self._futures.items() if v.key != variant.key}

    def close(self, stop: bool = False) -> None:
        """Wait for the pool's threads; with `stop`, first stop every worker still rendering."""
        if stop:
            self._stopping.set()
            for future in self._futures:
                future.cancel()
            with self._lock:
                processes = list(self._processes)
            for process in processes:
                if process.poll() is None:
                    process.terminate()
            deadline = time.monotonic() + 5
            for process in processes:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
        self._executor.shutdown(wait=True, cancel_futures=stop)


_ADDRESS = re.compile(r"^(?:tcp://)?(\[[0-9a-fA-F:]+\]|[^\s:/\[\]]+):(\d{1,5})$")


def check_dask(address: str):
    """The `distributed` module, after checking `address` is tcp://HOST:PORT; UsageErrors in the user's words.

    >>> _host_port("tcp://10.0.0.5:8786"), _host_port("localhost:8786")
    (('10.0.0.5', 8786), ('localhost', 8786))
    """
    from .errors import UsageError
    if not _ADDRESS.match(address):
        raise UsageError(f"--scheduler: {address!r} is not an address: give tcp://HOST:PORT "
                         f"(`dask scheduler` prints it; its port is 8786 by default)")
    try:
        import distributed
    except ImportError:
        raise UsageError(f"--scheduler needs Dask distributed, which is not installed: {DASK_INSTALL}") from None
    return distributed


def _host_port(address: str) -> tuple[str, int]:
    host, port = _ADDRESS.match(address).groups()
    return host.strip("[]"), int(port)


class DaskPool:
    """The same tasks on a Dask distributed scheduler (`--scheduler tcp://HOST:PORT`).

    Dask reruns the task of a worker that died on another worker (up to the scheduler's
    `distributed.scheduler.allowed-failures`, 3 by default), then reports KilledWorker.
    """

    def __init__(self, address: str, timeout: float = 10.0) -> None:
        from .errors import RenderError
        distributed = check_dask(address)
        host, port = _host_port(address)
        try:  # a plain connection first: a refused one is one clear line, at once
            socket.create_connection((host, port), timeout=timeout).close()
        except OSError as error:
            raise RenderError(f"cannot reach the Dask scheduler at {address}: {error.strerror or error}") from None
        self._distributed = distributed
        try:
            self.client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise RenderError(f"cannot reach the Dask scheduler at {address}: {error}") from None
        self._futures: dict[Any, Any] = {}
        self._running = (0, 0.0)
        self.reruns = 0  # Dask does not tell the client; counted by the scheduler
        self.stop_event = f"relu-explainer-stop-{uuid.uuid4().hex}"  # set by close(stop=True)

    def workers(self) -> int:
        """How many worker threads the cluster has now."""
        try:
            return sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values())
        except Exception:
            return 0

    def submit(self, variant) -> None:
        future = self.client.submit(_dask_task, variant.task(), self.stop_event, key=f"variant-{variant.key}",
                                    pure=False, retries=RETRIES)
        self._futures[future] = variant

    def running(self) -> int:
        count, when = self._running
        if time.monotonic() - when > 1.0:  # one round trip to the scheduler a second at most
            keys = {f.key for f in self._futures}
            try:
                per_worker = self.client.processing()
                threads = {w: info.get("nthreads", 1) for w, info in self.client.scheduler_info()["workers"].items()}
                # Dask may hand a worker more tasks than it has threads: only that many run at once.
                count = sum(min(threads.get(w, 1), sum(1 for k in tasks if k in keys))
                            for w, tasks in per_worker.items())
            except Exception:
                pass
            self._running = (count, time.monotonic())
        return count

    def finished(self, timeout: float) -> list[tuple[Any, dict[str, Any]]]:
        if not self._futures:
            time.sleep(timeout)
            return []
        deadline = time.monotonic() + timeout
        while not any(f.done() for f in self._futures) and time.monotonic() < deadline:
            time.sleep(0.05)
        out = []
        for future in [f for f in self._futures if f.done()]:
            variant = self._futures[future]
            try:
                out.append((variant, future.result()))
            except self._distributed.KilledWorker:
                out.append((variant, {"status": "failed", "log": "",
                                      "error": "its workers kept dying (Dask gave up: KilledWorker)"}))
            except Exception as error:
                out.append((variant, {"status": "failed", "error": f"{type(error).__name__}: {error}", "log": ""}))
        return out

    def collected(self, variant) -> None:
        """`variant`'s result is written: `finished` no longer returns it (until then it does, again)."""
        self._futures = {f: v for f, v in self._futures.items() if v.key != variant.key}

    def close(self, stop: bool = False) -> None:
        """Cancel what is left and stop the renders running now (with `stop`), and disconnect."""
        try:
            if stop and self._futures:
                self._distributed.Event(self.stop_event, client=self.client).set()  # the running tasks watch it
                self.client.cancel(list(self._futures))
        finally:
            self.client.close()
