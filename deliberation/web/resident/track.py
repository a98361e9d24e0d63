"""GET/POST /board/{compound_id}/track: "where is my concern". The resident types the number and
their household code or the receipt's secret; the answer is rendered on the POST itself (no
redirect), so the secret never sits in a URL, a history entry or a server log."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from deliberation.model.errors import DomainError
from deliberation.services.compounds import get_compound
from deliberation.services.tracking import track_concern

from .csrf import FIELD, REFUSED, checked_session, form_endpoint, form_key
from .labels import stage_label, timeline_step
from .render import db, error_page, page, parse_id
from .report import client_address

FIELD_MAX = 40


@form_endpoint
def track_page(request: Request):
    compound = get_compound(db(), parse_id(request.path_params["compound_id"]))     # NotFound: 404
    key = form_key(request)
    fields, found, error, status = request.state.fields, None, "", 200
    typed = {"number": (fields.get("number") or "")[:FIELD_MAX], "code": (fields.get("code") or "")[:FIELD_MAX]}
    if request.method == "POST":
        session = checked_session(request, fields)
        if session is None:
            return error_page(request, 403, REFUSED, board_id=compound.id)
        try:
            # One field for either proof: the service tries it as a receipt, then as a household code.
            found = track_concern(db(), compound.id, typed["number"], household_code=typed["code"],
                                  receipt=typed["code"], client_address=client_address(request), session_key=session)
            typed["code"] = ""                     # found: the proof does not stay on a shared phone's screen
        except DomainError as exc:
            error, status = exc.message, 400
    return page(request, "track.html", {
        "compound": compound, "typed": typed, "found": found, "error": error, "token": key.token,
        "token_field": FIELD, "stage_label": stage_label, "timeline_step": timeline_step,
    }, cache="private", cookies=key.cookies, status=status)


routes = [Route("/board/{compound_id}/track", track_page, methods=["GET", "HEAD", "POST"])]
