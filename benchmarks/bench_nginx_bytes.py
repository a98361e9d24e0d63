"""First visit of a staff page: the bytes a browser with an empty cache downloads, straight from the
app process vs. through the shipped nginx site (deploy/, gzip) in front of the same process, in one
run. Counted by Chromium itself (DevTools Network.loadingFinished encodedDataLength: headers and
body as they came over the wire), per resource type; the WebSocket's frames are not included.

    .venv/bin/python benchmarks/bench_nginx_bytes.py [--runs 3] [--page register] [--json]

Loopback only. Prints one JSON object on stdout; progress on stderr."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_browser import CHROMIUM_ARGS
from bench_load import signed_in_states, start_server, warm
from measure import ROOT, say

from tests.e2e.helpers import goto
from tests.e2e.nginx_site import start_nginx


def first_visit(browser, url: str, state: dict) -> dict:
    """A new context (empty cache) that is signed in opens `url`; bytes by resource type, and ms
    until the page's first run is done."""
    context = browser.new_context(storage_state=state, viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    kinds, sizes = {}, {}
    cdp.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e["type"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    started = time.perf_counter()
    goto(page, url, timeout=120_000)
    ms = (time.perf_counter() - started) * 1000
    page.wait_for_timeout(500)                          # late fonts and icons
    context.close()
    by_type: dict[str, int] = {}
    for request_id, size in sizes.items():
        kind = kinds.get(request_id, "Other")
        by_type[kind] = by_type.get(kind, 0) + int(size)
    return {"bytes": sum(by_type.values()), "by_type": by_type, "requests": len(sizes), "ms": round(ms)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page", default="register")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-bytes-") as tmp:
        workdir = Path(tmp)
        db = workdir / "demo.db"
        subprocess.run([sys.executable, "-m", "deliberation", "demo", "--db", str(db)], cwd=ROOT, check=True,
                       capture_output=True, timeout=300)
        server = start_server(db, 1, workdir)
        nginx = start_nginx(server.ports, Path(tempfile.mkdtemp(prefix="bench-nginx-")))
        try:
            warm(server)
            state = signed_in_states(server.url)["hx_secretary"]     # cookies hold for both ports of 127.0.0.1
            results = {"direct": [], "nginx": []}
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                             args=CHROMIUM_ARGS, headless=True)
                for run in range(args.runs):
                    order = ("direct", "nginx") if run % 2 == 0 else ("nginx", "direct")
                    for how in order:
                        base = server.url if how == "direct" else nginx.url
                        results[how].append(first_visit(browser, f"{base}/{args.page}", state))
                        say(f"run {run + 1} {how}: {results[how][-1]['bytes']:,} bytes")
                browser.close()
        finally:
            nginx.stop()
            shutil.rmtree(nginx.prefix, ignore_errors=True)
            server.stop()
    median = {how: int(statistics.median(r["bytes"] for r in runs)) for how, runs in results.items()}
    out = {"page": args.page, "bytes_direct": median["direct"], "bytes_nginx": median["nginx"],
           "ratio_direct_over_nginx": round(median["direct"] / median["nginx"], 2),
           "by_type": {how: runs[0]["by_type"] for how, runs in results.items()},
           "requests": {how: runs[0]["requests"] for how, runs in results.items()},
           "first_visit_ms": {how: int(statistics.median(r["ms"] for r in runs)) for how, runs in results.items()},
           "runs": args.runs,
           "machine": {"cores": os.cpu_count(), "load_average_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)]}}
    print(json.dumps(out, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
