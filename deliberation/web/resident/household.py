"""POST /household: the board's 议事码 remembered by the server, in an HttpOnly cookie per compound
(common/form_tokens.HOUSEHOLD_COOKIE, SameSite=Strict, a year), so no script in the page writes or
reads it. The Streamlit board (web/public/household.py) shows a plain form posting here, and reads
the cookie back from its websocket's request. A good code, or `forget`, goes back to the board (303); a wrong
one gets a short page in Chinese with the code as typed and the form again."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deliberation.model.errors import DomainError, NotFound
from deliberation.services.compounds import get_compound
from deliberation.services.households import check_household_code

from ..common.form_tokens import (HOUSEHOLD, HOUSEHOLD_COOKIE, form_token, form_token_ok, read_small_form,
                                  same_origin, strict_cookie)
from .render import db, error_page, page, parse_id, resident_endpoint

MAX_AGE_DAYS = 365
REFUSED = "页面已过期或来源不明,议事码未保存。请返回公示栏重新输入。"


async def household(request: Request) -> Response:
    request.state.fields = await read_small_form(request) or {}
    return await run_in_threadpool(_household, request)


@resident_endpoint
def _household(request: Request) -> Response:
    fields = request.state.fields
    try:
        compound = get_compound(db(), parse_id(fields.get("compound_id", "")))
    except NotFound:
        raise NotFound("找不到该小区,请扫描小区公示栏上的二维码。") from None
    if not same_origin(request.headers) or not form_token_ok(db(), HOUSEHOLD, fields.get("csrf_token")):
        return error_page(request, 403, REFUSED, board_id=compound.id)
    back = RedirectResponse(f"/public?compound={compound.id}", status_code=303, headers={"Cache-Control": "no-store"})
    name = HOUSEHOLD_COOKIE.format(compound.id)
    options = strict_cookie(request)
    if fields.get("forget"):
        back.delete_cookie(name, **options)
        return back
    typed = fields.get("code", "")[:20]
    try:
        code = check_household_code(db(), compound.id, typed)
    except DomainError as exc:
        return page(request, "household.html", {"compound": compound, "typed": typed, "error": exc.message,
                                                "token": form_token(db(), HOUSEHOLD)}, cache="private", status=400)
    back.set_cookie(name, code, max_age=MAX_AGE_DAYS * 86400, **options)
    return back


routes = [Route("/household", household, methods=["POST"])]
