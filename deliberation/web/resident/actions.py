"""The resident's buttons on one issue: 我也遇到 (POST …/issues/{number}/join) and, during 公示,
满意/基本满意/不满意 with an optional objection (POST …/issues/{number}/feedback).

The forms are the partial templates/_issue_actions.html, which the issue page includes with the
context `issue_actions()` returns. A POST answers with a short page: thanks, or the Chinese
refusal above the same form with everything typed kept."""
from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.routing import Route

from deliberation.model.defaults import FEEDBACK
from deliberation.model.errors import DomainError, NotFound
from deliberation.model.lifecycle import OPEN_STAGES, Stage
from deliberation.services.compounds import get_compound
from deliberation.services.concerns import join_concern
from deliberation.services.public import public_issue_by_number
from deliberation.services.publicity import give_feedback

from .csrf import FIELD, REFUSED, checked_session, form_endpoint, form_key
from .render import db, error_page, page, parse_id
from .report import client_address

_OPEN = {s.value for s in OPEN_STAGES}
TYPED = ("household_code", "contact", "rating", "comment")


@dataclass(frozen=True)
class IssueActions:
    """For the issue page: `context` goes to the partial as `actions`; set `cookies` on the
    response (the page is private then: the token differs per browser)."""
    context: dict
    cookies: list[dict]


def can_rate(issue) -> bool:
    return issue.stage == Stage.PUBLICIZING.value and issue.days_left is not None


def can_join(issue) -> bool:
    return issue.stage in _OPEN and issue.stage != Stage.PUBLICIZING.value


def issue_actions(request: Request, conn, compound, issue) -> IssueActions | None:
    """The rating form's context while `issue` (a services.public.PublicIssue) is in its 公示
    window; None otherwise, so the issue page stays one shared, cached copy. 我也遇到 is then a
    plain link to GET …/join, whose page carries the form."""
    return _actions(request, compound.id, issue) if can_rate(issue) else None


def _actions(request: Request, compound_id: int, issue, *, typed: dict | None = None, error: str = "",
             done: str = "") -> IssueActions:
    key = form_key(request)
    context = {"compound_id": compound_id, "number": issue.number, "title": issue.title,
               # After a success the page only thanks: the form again would invite a double click.
               "can_join": can_join(issue) and not done, "can_rate": can_rate(issue) and not done,
               "days_left": issue.days_left,
               "ratings": FEEDBACK, "token": key.token, "token_field": FIELD,
               "typed": {k: (typed or {}).get(k, "") for k in TYPED}, "error": error, "done": done}
    return IssueActions(context=context, cookies=key.cookies)


def _issue(request: Request):
    compound = get_compound(db(), parse_id(request.path_params["compound_id"]))
    issue = public_issue_by_number(db(), compound.id, parse_id(request.path_params["number"]))
    if issue is None:
        raise NotFound("找不到该问题")
    return compound, issue


def _answer(request, compound, issue, *, typed=None, error="", done=""):
    actions = _actions(request, compound.id, issue, typed=typed, error=error, done=done)
    return page(request, "done.html", {"compound": compound, "issue": issue, "actions": actions.context},
                cache="private", cookies=actions.cookies, status=400 if error else 200)


def _typed(fields: dict) -> dict:
    return {k: (fields.get(k) or "")[:600] for k in TYPED}


@form_endpoint
def join_page(request: Request):
    compound, issue = _issue(request)
    if request.method != "POST":
        return _answer(request, compound, issue)
    session = checked_session(request, request.state.fields)
    if session is None:
        return error_page(request, 403, REFUSED, board_id=compound.id)
    typed = _typed(request.state.fields)
    try:
        join_concern(db(), issue.id, session_key=session, contact=typed["contact"],
                     household_code=typed["household_code"], client_address=client_address(request))
    except DomainError as exc:
        return _answer(request, compound, issue, typed=typed, error=exc.message)
    return _answer(request, compound, public_issue_by_number(db(), compound.id, issue.number),
                   done=f"已把您家计入问题 #{issue.number} 的反映户数,感谢参与!")


@form_endpoint
def feedback_page(request: Request):
    compound, issue = _issue(request)
    session = checked_session(request, request.state.fields)
    if session is None:
        return error_page(request, 403, REFUSED, board_id=compound.id)
    typed = _typed(request.state.fields)
    try:
        stage = give_feedback(db(), issue.id, typed["rating"], typed["comment"], session_key=session,
                              household_code=typed["household_code"], client_address=client_address(request))
    except DomainError as exc:
        return _answer(request, compound, issue, typed=typed, error=exc.message)
    done = "感谢您的评价!" if stage == Stage.PUBLICIZING.value else \
        "感谢您的评价。不满意的住户已达到异议阈值,该问题将重新列入下次协商议事。"
    return _answer(request, compound, public_issue_by_number(db(), compound.id, issue.number), done=done)


routes = [Route("/board/{compound_id}/issues/{number}/join", join_page, methods=["GET", "HEAD", "POST"]),
          Route("/board/{compound_id}/issues/{number}/feedback", feedback_page, methods=["POST"])]
