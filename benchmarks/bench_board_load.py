"""Many residents at once: bursts of concurrent requests for the boards of a whole district, from
loopback clients, against `streamlit run app.py`; and the ratio to one request alone."""
from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench_browser import launch_streamlit, stop, wait_healthy
from measure import ROOT, say


async def fetch(host: str, port: int, path: str) -> tuple[float, int]:
    """One GET on its own connection, as a phone would send it; (milliseconds, status or 0 on error)."""
    started = time.perf_counter()
    try:
        reader, writer = await asyncio.open_connection(host, port)
        writer.write((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/html\r\n"
                      "Accept-Encoding: gzip\r\nUser-Agent: bench-phone\r\nConnection: close\r\n\r\n").encode())
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()                          # the whole body, until the server closes
        writer.close()
        status = int(status_line.split()[1]) if status_line.startswith(b"HTTP/") else 0
    except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
        status = 0
    return (time.perf_counter() - started) * 1000, status


async def burst(host: str, port: int, paths: list[str]) -> list[tuple[float, int]]:
    """All of `paths` requested at the same moment."""
    return await asyncio.gather(*(fetch(host, port, p) for p in paths))


def percentile(values: list[float], q: int) -> float:
    return round(statistics.quantiles(values, n=100)[q - 1], 1) if len(values) > 1 else round(values[0], 1)


# The floor: the same server's smallest answer (Streamlit's health check, "ok"), asked the same way.
HEALTH = "/_stcore/health"


def board_load(db_path: Path, compounds: int, *, concurrent: int = 500, rounds: int = 5, singles: int = 60,
               seed: int = 7) -> dict:
    """After the server starts: `concurrent` simultaneous requests for as many different boards
    nobody has read yet (cold: each is rendered), then every board read once, then `singles`
    requests one after another (the single-request figure) and `rounds` bursts of `concurrent`
    simultaneous requests for random boards (warm: an evening when residents keep reading
    boards that changed little), each followed by a burst of as many requests for the server's
    health check: the floor, what any answer costs on this machine at that moment. p95 of the warm
    bursts is the figure, beside the floor's; errors = anything but 200."""
    rnd = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    proc, url = launch_streamlit(ROOT / "app.py", db_path, folder / "app.log")
    try:
        wait_healthy(proc, url, folder / "app.log")
        host, port = url.removeprefix("http://").split(":")
        port = int(port)
        every = list(range(1, compounds + 1))
        cold = asyncio.run(burst(host, port, [f"/board/{c}" for c in rnd.sample(every, min(concurrent, compounds))]))
        say(f"board load: cold burst p95 {percentile([ms for ms, _ in cold], 95)} ms")
        for c in every:                                                            # every board read once
            asyncio.run(fetch(host, port, f"/board/{c}"))
        single = [asyncio.run(fetch(host, port, f"/board/{rnd.choice(every)}")) for _ in range(singles)]
        warm, floor = [], []
        for n in range(rounds):                # alternating with the floor: the same moment of the machine
            found = asyncio.run(burst(host, port, [f"/board/{rnd.choice(every)}" for _ in range(concurrent)]))
            warm.append(found)
            floor.append(asyncio.run(burst(host, port, [HEALTH] * concurrent)))
            say(f"board load: warm burst {n + 1}: p95 {percentile([ms for ms, _ in found], 95)} ms, "
                f"floor {percentile([ms for ms, _ in floor[-1]], 95)} ms")
    finally:
        stop(proc)
    answers = [r for found in warm for r in found]
    times = [ms for ms, _ in answers]
    floor_p95 = percentile([ms for found in floor for ms, _ in found], 95)
    single_ms = statistics.median(ms for ms, _ in single)
    return {"p95_ms": percentile(times, 95), "floor_p95_ms": floor_p95,
            "p95_over_floor": round(percentile(times, 95) / floor_p95, 2), "p50_ms": percentile(times, 50), "p99_ms": percentile(times, 99),
            "max_ms": round(max(times), 1), "errors": sum(1 for _, status in answers + cold if status != 200),
            "single_ms": round(single_ms, 1), "p95_over_single": round(percentile(times, 95) / single_ms, 1),
            "burst_p95_ms": [percentile([ms for ms, _ in found], 95) for found in warm],
            "cold_p95_ms": percentile([ms for ms, _ in cold], 95), "cold_p50_ms": percentile([ms for ms, _ in cold], 50),
            "concurrent": concurrent, "bursts": rounds, "compounds": compounds,
            "single_errors": sum(1 for _, status in single if status != 200)}
