"""Script and link payloads written into every free-text field of 鸿翔花园 through the services:
shared by the AppTest (tests/test_xss.py) and the browser (tests/e2e/test_xss_browser.py) checks."""
from __future__ import annotations

from deliberation.services.concerns import raise_concern
from deliberation.services.actors import SYSTEM
from deliberation.services.issues import raise_issue
from deliberation.services.meetings import approve_minutes, publish_minutes
from deliberation.services.publicity import give_feedback, publish_result
from deliberation.services.roster import add_member
from tests.factories import category_id, held_meeting_with_quorum, seat_id

PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))")
FIELDS = ("title", "description", "summary", "concern", "comment", "meeting", "decision", "member")
HONGXIANG = 1


def tagged(payload: str, field: str) -> str:
    """The payload with the field's name, so a test can tell which field showed it."""
    return f"{payload}{field}"


def seed(db, payload: str) -> dict:
    """Every free-text field filled with the payload: a member, an issue decided in a meeting whose
    minutes and result are published, a resident's rating comment and a resident's concern."""
    p = {field: tagged(payload, field) for field in FIELDS}
    add_member(db, SYSTEM, HONGXIANG, seat_id(db, HONGXIANG, "cobuilding"), p["member"])
    issue_id = raise_issue(db, SYSTEM, HONGXIANG, title=p["title"], description=p["description"],
                           category_id=category_id(db, HONGXIANG), raised_by_kind="patrol", public_summary=p["summary"])
    meeting_id = held_meeting_with_quorum(db, SYSTEM, HONGXIANG,
                                          # The board shows an item's public summary (never the decision
                                          # text): the same payload goes there so it is still rendered.
                                          {issue_id: {"outcome": "actions", "decision": p["decision"],
                                                      "public_summary": p["decision"]}})
    approve_minutes(db, SYSTEM, meeting_id)
    publish_minutes(db, SYSTEM, meeting_id, p["meeting"])
    publish_result(db, SYSTEM, issue_id, summary=p["summary"])
    give_feedback(db, issue_id, "unsatisfied", p["comment"], session_key=f"xss-{payload}")
    concern_id = raise_concern(db, HONGXIANG, category_id=category_id(db, HONGXIANG, "噪音"), description=p["concern"],
                               session_key=f"xss-{payload}")
    return {"texts": p, "issue": issue_id, "meeting": meeting_id, "concern": concern_id}


# Markup that Markdown, GFM autolinking or plotly would turn into a live element: an image in the
# display name (the browser would fetch it), bare URLs in the places (autolinked), a link and bold
# tags in a category name (plotly renders them in ticks and hover text), an <img onerror> in the
# minutes' 讨论情况. Every host is EVIL_HOST, so a browser test can record that nothing was fetched.
EVIL_HOST = "evil.example"
MARKUP = {
    "display_name": f"![头像](http://img.{EVIL_HOST}/a.png)王书记 <img src=http://{EVIL_HOST}/n.png>",
    "meeting_place": f"社区活动室 https://{EVIL_HOST}/room 二楼 见 www.{EVIL_HOST}",
    "compound_place": f"党群服务站 http://{EVIL_HOST}/place 或 info@{EVIL_HOST}",
    "category": f'<a href="http://{EVIL_HOST}/c">停车<b>乱</b></a><br>x',
    "discussion": f"<img src=x onerror=alert(1)> 讨论 http://{EVIL_HOST}/d",
    "title": "车棚漏雨(标记议题)",
}
MARKUP_USER = "hx_markup"


def seed_markup(db, password: str) -> dict:
    """鸿翔花园 with every MARKUP value written through the services: a secretary named with an
    image, the compound's place and a held, published meeting's place with bare URLs, an issue in a
    category named with a link (so it is charted), decided with the <img> discussion."""
    from deliberation.services.compounds import get_compound, update_compound_rules
    from deliberation.services.meetings import finish_meeting, schedule_meeting, start_meeting
    from deliberation.services.agenda import add_to_agenda
    from deliberation.services.roster import add_category
    from deliberation.services.users import create_user
    from deliberation.services.attendance import record_attendance
    from deliberation.services.meetings import attendance
    from tests.factories import decide

    user = create_user(db, SYSTEM, MARKUP_USER, MARKUP["display_name"], "secretary", password=password,
                       compound_ids=[HONGXIANG])
    update_compound_rules(db, SYSTEM, HONGXIANG, get_compound(db, HONGXIANG).version, place=MARKUP["compound_place"])
    category = add_category(db, SYSTEM, HONGXIANG, MARKUP["category"])
    issue_id = raise_issue(db, SYSTEM, HONGXIANG, title=MARKUP["title"], description="车棚顶棚漏雨",
                           category_id=category, raised_by_kind="patrol", public_summary="车棚漏雨待修")
    meeting_id = schedule_meeting(db, SYSTEM, HONGXIANG, place=MARKUP["meeting_place"])
    add_to_agenda(db, SYSTEM, meeting_id, issue_id)
    start_meeting(db, SYSTEM, meeting_id)
    record_attendance(db, SYSTEM, meeting_id, {line["member_id"]: ("present", "")
                                               for line in attendance(db, SYSTEM, meeting_id)})
    decide(db, SYSTEM, meeting_id, issue_id, outcome="actions", discussion=MARKUP["discussion"],
           decision="物业本周内修复车棚")
    finish_meeting(db, SYSTEM, meeting_id)
    approve_minutes(db, SYSTEM, meeting_id)
    publish_minutes(db, SYSTEM, meeting_id, "车棚漏雨已议定由物业修复")
    return {"user": user, "issue": issue_id, "meeting": meeting_id, "category": category}
