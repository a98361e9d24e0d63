"""GET/HEAD /healthz: the process's health as JSON for a load balancer or a monitor
(services/health.py decides): 200 when every check passes, 503 otherwise. Never cached (a stale
"ok" would keep a broken process in rotation) and never a traceback: whatever goes wrong is
answered as a named failing check."""
from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from deliberation.services.health import FAIL, health_report

log = logging.getLogger(__name__)

HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
_last_status: list[str] = []      # logged when it changes, not on every probe (one every few seconds)


def healthz(request: Request) -> JSONResponse:
    """A sync endpoint: Starlette runs it in its thread pool (the checks touch the disk)."""
    try:
        report = health_report()
        body, status, ok = {"status": report.status, "checks": report.checks}, report.status, report.ok
    except Exception:                         # logged here; the prober gets a named failure, no traceback
        log.exception("/healthz: the checks themselves failed")
        body, status, ok = {"status": FAIL, "checks": {"health": {"ok": False, "error": "internal"}}}, FAIL, False
    if _last_status != [status]:
        failing = sorted(name for name, check in body["checks"].items() if not check.get("ok"))
        (log.info if ok else log.warning)("/healthz: %s %s", status, " ".join(failing))
        _last_status[:] = [status]
    return JSONResponse(body, status_code=200 if ok else 503, headers=HEADERS)


def routes() -> list[Route]:
    return [Route("/healthz", healthz, methods=["GET", "HEAD"])]
