"""`triage serve` under load: many patients completing the questionnaire at once.

    .venv/bin/python benchmarks/bench_serve.py [--sessions 200] [--seconds 60] [--workers 2]
                                               [--think 1 5] [--write-readme]

Starts the real server (`python -m triage serve --workers N`, uvicorn) on 127.0.0.1 and, in a
separate process, an asyncio load generator built on aiohttp's HTTP client (``pip install -e
'.[bench]'``): each of ``--sessions`` simulated patients is its own client session (one
keep-alive connection, its own cookie jar), opens the
start page, starts, and answers every question from one of the pack's own cases (confirming a
red flag where asked), reaches the result or the emergency stop, opens the report after a
result, and starts again, for ``--seconds``. A person reads a question before answering, so each
session waits a random 0.5x-1.5x ``--think`` seconds between pages; one run for each value
given (default 1 s, harsh, and 5 s, still quicker than a patient reading a safety question).
When the time is up, each patient leaves where it is, so the load stops on time. Every
response is checked: a status other than expected, or a page that is not what the flow should
show, is an error.

Reported: page latency (a form POST plus the GET its redirect leads to, as a person waits for
it, and every other GET), percentiles over the whole run after a warm-up; requests per second;
errors; the server's memory (resident set of all its processes) sampled every second, first
third of the run against the last. The baseline in the same run: the same load generator
against ``/healthz`` (the framework and the load generator alone), so a loaded machine shows.
Beside them, so that neither the load generator nor the other work on a shared machine is
mistaken for the server: the CPU the server, the load generator and everything else used
during each run; how late the load generator's own event loop woke up (a timer every 10 ms:
what it adds to every latency it measures); how many connections were opened per page, and
how many requests had to be sent again because the server had closed an idle connection.

Why aiohttp: it is well kept (aio-libs, regular releases), its HTTP parser is in C, so the load
generator takes little of the two shared cores it competes with the server for (httpx's
pure-Python parser costs several times more CPU a request), and a multi-step session that
reads each page's CSRF token and carries the sealed state cookie is plain code. Locust could
drive the same sessions but brings gevent and reports percentiles rounded to buckets; wrk and
hey replay fixed requests and cannot follow a questionnaire page by page.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp  # the load generator (the `bench` extra): see the module's docstring

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

README = REPO / "benchmarks" / "README.md"
BEGIN, END = "<!-- bench-serve:begin -->", "<!-- bench-serve:end -->"
_HIDDEN = re.compile(rb'<input type="hidden" name="(\w+)" value="([^"]*)">')


# ------------------------------------------------------------------------------- client


# TCP connections opened, and requests sent again because the server had closed the kept-alive
# connection they were sent on: how often a patient's browser must reconnect
CONNECTIONS: Counter[str] = Counter()


async def _connected(*_: Any) -> None:
    CONNECTIONS["opened"] += 1


TRACE = aiohttp.TraceConfig()
TRACE.on_connection_create_end.append(_connected)


class Conn:
    """One patient's browser: an aiohttp client session with its own keep-alive connection
    and cookie jar (the server's ``Secure`` cookie is sent to 127.0.0.1 as a browser sends
    it to a trusted origin)."""

    def __init__(self, host: str, port: int) -> None:
        self.base = f"http://{host}:{port}"
        self.session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[self.base])
        return aiohttp.ClientSession(
            self.base, cookie_jar=jar, connector=aiohttp.TCPConnector(limit=1),
            headers={"Accept-Language": "en-CA,en;q=0.8"},
            timeout=aiohttp.ClientTimeout(total=60), trace_configs=[TRACE])

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        """One request (a redirect is not followed: the caller times the POST and its GET
        together); like a browser, a kept-alive connection the server has closed in the
        meantime is retried once on a new one."""
        if self.session is None:
            self.session = self._open()
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else None
        for attempt in range(2):
            try:
                async with self.session.request(method, path, data=body or None,
                                                headers=headers,
                                                allow_redirects=False) as response:
                    return response.status, await response.read()
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
                if attempt:
                    raise
                CONNECTIONS["retried"] += 1
        raise AssertionError("unreachable")

    async def forget(self) -> None:
        """A new patient on this browser: new connection, no cookie."""
        if self.session is not None:
            await self.session.close()
        self.session = None


class TimeUp(Exception):
    """The run's time is up."""


async def patient(conn: Conn, cases: list[dict[str, Any]], types: dict[str, str],
                  think: float, until: float, log: dict[str, list[Any]],
                  rng: random.Random) -> None:
    from urllib.parse import urlencode

    async def timed(kind: str, method: str, path: str, body: bytes = b"",
                    expect: int = 200) -> bytes:
        t0 = time.perf_counter()
        status, page = await conn.request(method, path, body)
        if status == 303 and method == "POST":
            status, page = await conn.request("GET", "/s")
        log[kind].append((time.monotonic(), time.perf_counter() - t0))
        if status != expect:
            log["errors"].append(f"{method} {path}: {status}")
            raise RuntimeError
        return page

    async def pause() -> None:
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
        if time.monotonic() >= until:  # the run is over: leave mid-questionnaire, so the
            raise TimeUp                # load stops on time rather than tapering off

    while time.monotonic() < until:
        case = rng.choice(cases)
        try:
            page = await timed("page", "GET", "/")
            await pause()
            fields = dict(_HIDDEN.findall(page))
            page = await timed("page", "POST", "/s", urlencode(
                {"csrf": fields[b"csrf"], "step": fields[b"step"], "action": "start"}).encode())
            for _ in range(60):
                fields = dict(_HIDDEN.findall(page))
                base = {"csrf": fields[b"csrf"].decode(), "step": fields[b"step"].decode()}
                await pause()
                if b"question" in fields:
                    qid = fields[b"question"].decode()
                    value = case[qid]
                    values = ((sorted(value) or [":none"]) if types[qid] == "multi"
                              else [str(value)])
                    body = urlencode([*base.items(), ("question", qid),
                                      *(("answer", v) for v in values), ("action", "answer")])
                    page = await timed("page", "POST", "/s", body.encode())
                elif b'value="confirm_yes"' in page:
                    body = urlencode({**base, "action": "confirm_yes"})
                    page = await timed("page", "POST", "/s", body.encode())
                elif b'class="emergency"' in page:
                    break
                elif b'class="result' in page:
                    await timed("page", "GET", "/report")
                    break
                else:
                    log["errors"].append("unexpected page")
                    raise RuntimeError
            else:
                log["errors"].append("never finished")
            log["done"].append(1)
        except TimeUp:
            break
        except (RuntimeError, KeyError, OSError, aiohttp.ClientError, TimeoutError) as exc:
            if not isinstance(exc, RuntimeError):  # RuntimeError: already logged
                log["errors"].append(type(exc).__name__)
            await conn.forget()
            await asyncio.sleep(think)
    await conn.forget()


async def baseline(conn: Conn, think: float, until: float, log: dict[str, list[Any]],
                   rng: random.Random) -> None:
    while time.monotonic() < until:
        t0 = time.perf_counter()
        status, _ = await conn.request("GET", "/healthz")
        log["page"].append((time.monotonic(), time.perf_counter() - t0))
        if status != 200:
            log["errors"].append(f"healthz {status}")
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
    await conn.forget()


async def load(port: int, sessions: int, seconds: float, think: float,
               mode: str) -> dict[str, Any]:
    from triage.pack.load import load_pack

    pack = load_pack(None)
    cases = [dict(c.answers) for c in pack.cases]
    types = {q.id: q.type for q in pack.questions}
    log: dict[str, list[Any]] = {"page": [], "errors": [], "done": []}
    started = time.monotonic()
    cpu0 = time.process_time()
    until = started + seconds
    lags: list[float] = []
    watch = asyncio.create_task(loop_lag(lags, until))
    tasks = []
    for i in range(sessions):
        rng = random.Random(i)
        conn = Conn("127.0.0.1", port)
        await asyncio.sleep(think / sessions)  # ramp up over one think time
        if mode == "baseline":
            tasks.append(asyncio.create_task(baseline(conn, think, until, log, rng)))
        else:
            tasks.append(asyncio.create_task(patient(conn, cases, types, think, until, log,
                                                     rng)))
    await asyncio.gather(*tasks)
    watch.cancel()
    warm = started + min(5.0, seconds / 5)  # the first seconds: imports, caches, ramp-up
    times = sorted(t for at, t in log["page"] if at >= warm)
    span = max(time.monotonic() - warm, 1e-9)
    return {"requests": len(times), "rate": len(times) / span, "errors": log["errors"],
            "all_requests": len(log["page"]),
            "client_cpu_s": time.process_time() - cpu0,
            "connections": CONNECTIONS["opened"], "retried": CONNECTIONS["retried"],
            "wall_s": time.monotonic() - started,
            "completed": len(log["done"]), **percentiles(times),
            "lag": {k.replace("_ms", ""): v for k, v in percentiles(sorted(lags)).items()}}


async def loop_lag(lags: list[float], until: float) -> None:
    """How late the load generator's own event loop wakes up: a busy generator adds this to
    every latency it measures, so it must stay small beside the figures."""
    while time.monotonic() < until:
        t0 = time.perf_counter()
        await asyncio.sleep(0.01)
        lags.append(time.perf_counter() - t0 - 0.01)


def percentiles(times: list[float]) -> dict[str, float]:
    if not times:
        return {"p50_ms": float("nan"), "p95_ms": float("nan"), "p99_ms": float("nan"),
                "max_ms": float("nan")}
    q = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50_ms": q[49] * 1e3, "p95_ms": q[94] * 1e3, "p99_ms": q[98] * 1e3,
            "max_ms": times[-1] * 1e3}


# ------------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree_pids(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return [pid, *(int(c) for c in children)]


def tree_cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its children (uvicorn's workers): what the
    server really used, whoever else was running on the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in tree_pids(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / ticks


def machine_busy_seconds() -> float:
    """CPU time all processes on the machine have used since boot (/proc/stat)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (uvicorn's workers)."""
    total = 0
    for p in tree_pids(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def start_server(workers: int, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TRIAGE_WEB_SECRET": "bench-" + "k" * 40}
    server = subprocess.Popen([sys.executable, "-m", "triage", "serve", "--port", str(port),
                               "--workers", str(workers), "--no-access-log"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import urllib.request

    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("triage serve did not start")


def run_phase(ns: argparse.Namespace, port: int, server: subprocess.Popen[bytes],
              mode: str, think: float) -> dict[str, Any]:
    client = subprocess.Popen([sys.executable, __file__, "--client", mode, "--port", str(port),
                               "--sessions", str(ns.sessions), "--seconds", str(ns.seconds),
                               "--think", str(think)], stdout=subprocess.PIPE)
    rss: list[tuple[float, int]] = []
    t0 = time.monotonic()
    cpu0 = tree_cpu_seconds(server.pid)
    busy0 = machine_busy_seconds()
    while client.poll() is None:
        rss.append((time.monotonic() - t0, tree_rss_kib(server.pid)))
        time.sleep(1.0)
    assert client.stdout is not None
    result: dict[str, Any] = json.loads(client.stdout.read())
    result["server_cpu_s"] = tree_cpu_seconds(server.pid) - cpu0
    # what everything else on the shared machine used meanwhile, in cores
    others = machine_busy_seconds() - busy0 - result["server_cpu_s"] - result["client_cpu_s"]
    result["others_cores"] = max(others, 0.0) / (time.monotonic() - t0)
    third = [m for t, m in rss if t <= ns.seconds / 3]
    last = [m for t, m in rss if t >= ns.seconds * 2 / 3]
    result["rss_first_mib"] = max(third or [0]) / 1024
    result["rss_last_mib"] = max(last or [0]) / 1024
    return result


def report(ns: argparse.Namespace, runs: list[tuple[float, dict[str, Any], dict[str, Any]]]
           ) -> str:
    from benchmarks.machine import describe, markdown

    load = os.getloadavg()
    rows = describe({"server": f"`triage serve --workers {ns.workers}` (uvicorn), "
                               "load generator in another process on the same 2 cores",
                     "load average at the end": " / ".join(f"{x:.1f}" for x in load)})

    def line(name: str, r: dict[str, Any]) -> str:
        return (f"| {name} | {r['requests']} | {r['rate']:.0f} | {r['p50_ms']:.1f} | "
                f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['error_count']} | "
                f"{r['rss_first_mib']:.0f} -> {r['rss_last_mib']:.0f} | "
                f"{r['others_cores']:.2f} | {1000 * r['client_cpu_s'] / r['all_requests']:.2f} | "
                f"{r['lag']['p95']:.1f} |")

    out = [f"Command: `.venv/bin/python benchmarks/bench_serve.py --sessions {ns.sessions} "
           f"--seconds {ns.seconds:g} --workers {ns.workers} --think "
           f"{' '.join(f'{t:g}' for t in ns.think)}`", "", markdown(rows), "",
           "| load | requests | per second | p50 ms | p95 ms | p99 ms | errors | server RSS "
           "MiB (first third -> last third) | other work, cores | load generator CPU ms "
           "a page | its event loop late, p95 ms |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    notes = []
    for think, base, serve in runs:
        out.append(line(f"baseline: {ns.sessions} clients on `/healthz`, {think:g} s apart",
                        base))
        out.append(line(f"{ns.sessions} patients, {think:g} s a page", serve))
        growth = serve["rss_last_mib"] / max(serve["rss_first_mib"], 1)
        ok = serve["p95_ms"] < 50 and not serve["error_count"] and growth < 1.1
        cpu_page = 1000 * serve["server_cpu_s"] / max(serve["all_requests"], 1)
        cpu_base = 1000 * base["server_cpu_s"] / max(base["all_requests"], 1)
        notes.append(
            f"- {think:g} s a page: {serve['completed']} questionnaires completed; page latency "
            f"p95 {serve['p95_ms']:.1f} ms (target < 50 ms), "
            f"{serve['p95_ms'] / max(base['p95_ms'], 1e-9):.1f}x the baseline's p95; errors "
            f"{serve['error_count']} (target 0); server memory {growth:.2f}x from the first "
            f"third to the last (target: flat). {'Targets met.' if ok else 'TARGET MISSED.'} "
            f"Server CPU (all workers) {cpu_page:.2f} ms a page against {cpu_base:.2f} ms a "
            f"`/healthz` request: 2 free cores would serve about {2000 / cpu_page:.0f} pages a "
            f"second; this run's {serve['rate']:.0f} pages a second took "
            f"{100 * serve['server_cpu_s'] / serve['wall_s']:.0f}% of one core, the load "
            f"generator {100 * serve['client_cpu_s'] / serve['wall_s']:.0f}%. Connections "
            f"opened: {100 * serve['connections'] / max(serve['all_requests'], 1):.0f} per 100 "
            f"pages; requests sent again after the server had closed an idle connection: "
            f"{serve['retried']}."
            + (f" Errors by kind: {serve['errors']}." if serve["errors"] else ""))
    return "\n".join([*out, "", *notes, ""])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--think", type=float, nargs="+", default=[1.0, 5.0],
                    help="mean seconds a patient spends on a page; one run each "
                         "(default: 1 5)")
    ap.add_argument("--write-readme", action="store_true")
    ap.add_argument("--client", choices=["serve", "baseline"], help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ns = ap.parse_args(argv)
    if ns.client:
        result = asyncio.run(load(ns.port, ns.sessions, ns.seconds, ns.think[0], ns.client))
        result["error_count"] = len(result["errors"])
        result["errors"] = dict(Counter(result["errors"]).most_common(10))
        print(json.dumps(result))
        return 0
    port = free_port()
    server = start_server(ns.workers, port)
    runs = []
    try:
        for think in ns.think:
            base = run_phase(ns, port, server, "baseline", think)
            runs.append((think, base, run_phase(ns, port, server, "serve", think)))
    finally:
        server.terminate()
        server.wait(timeout=20)
    section = report(ns, runs)
    print(section)
    if ns.write_readme:
        from benchmarks.common import replace_readme_section

        replace_readme_section(README, BEGIN, END, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
