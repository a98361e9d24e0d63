"""The concern form's promise, walked as each reader: a resident's own words, name, unit and contact
reach the compound's secretary and recorder, and no one else — not 物业 or 业委会 (often the party
complained about), not the 社区/街道/区 officers, not the admin, not the public board — on any page
the role's menu offers, in any export, or in any read service the role can call.

The markers are seeded through the services into 鸿翔花园 of the demo: a concern from the board
(the resident's words and contact) and a hotline report taken down by staff (name, unit, contact),
put on a meeting's agenda so the minutes name it. Every walk also checks that the issue itself was
reached (its title shows), so a page that shows nothing cannot pass for a page that hides well."""
from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from deliberation.exports.agenda import agenda_docx, agenda_pdf
from deliberation.exports.minutes import minutes_docx, minutes_markdown, minutes_pdf
from deliberation.exports.notice import notice_docx, notice_pdf
from deliberation.exports.register import register_csv, register_xlsx
from deliberation.exports.report import report_docx, report_xlsx
from deliberation.exports.sign_in_sheet import sign_in_docx, sign_in_pdf
from deliberation.model.errors import NotFound, PermissionDenied
from deliberation.model.roles import ROLE_LABELS, Role
from deliberation.services import agenda as agenda_svc
from deliberation.services import dashboard as dashboard_svc
from deliberation.services import documents as documents_svc
from deliberation.services import meetings as meeting_svc
from deliberation.services import public as board
from deliberation.services import workbench as workbench_svc
from deliberation.services.actions import actions_for_seat
from deliberation.services.actors import RESIDENT, Actor, load_actor
from deliberation.services.audit import audit_events
from deliberation.services.compounds import list_compounds
from deliberation.services.concerns import concern_status, raise_concern
from deliberation.services.escalation import pending_escalations
from deliberation.services.issue_view import issue_detail
from deliberation.services.issues import raise_issue
from deliberation.services.meeting_papers import agenda_view, sign_in_view
from deliberation.services.meeting_view import meeting_detail
from deliberation.services.register import list_issues
from deliberation.services.reports import report_view
from deliberation.services.rollup import area_rollup
from deliberation.services.roster import list_members
from deliberation.store import one, open_db, rows
from deliberation.web.common.i18n import translate
from deliberation.web.common.nav import pages_for
from tests.document_text import docx_text, pdf_text, xlsx_text
from tests.factories import copy_db
from tests.page_output import everything, open_page
from tests.page_session import user_id

HX = 1                                   # 鸿翔花园
WORDS = "原话标记QZX我家天花板渗水三个月了"   # the resident's own words (the concern's description)
CONTACT = "13700007311"                  # the concern's contact
NAME = "标记人欧阳某"                     # a hotline caller's name, unit and phone, taken down by staff
UNIT = "99栋9901"
PHONE = "13700007322"
MARKERS = (WORDS, CONTACT, NAME, UNIT, PHONE)
HOTLINE_TITLE = "地库入口积水"            # staff text: everyone who reads the compound sees it

# Who must never see the markers: every signed-in reader of 鸿翔花园 except its branch.
READERS = ("hx_property", "hx_owners", "songyuan_officer", "guiyuan_officer", "luohu_officer", "admin")
BRANCH = ("hx_secretary", "hx_recorder")
MONTH = date.today().strftime("%Y-%m")


@pytest.fixture(scope="module")
def walk(demo_path, tmp_path_factory):
    """The demo with the markers seeded; pages run on the same file."""
    path = tmp_path_factory.mktemp("privacy_walk") / "demo.db"
    copy_db(demo_path, path)
    db = open_db(path)
    secretary = load_actor(db, user_id(db, "hx_secretary"))
    category = rows(db, "SELECT id FROM categories WHERE compound_id = ? AND retired_at IS NULL ORDER BY position",
                    [HX])[0]["id"]
    concern = raise_concern(db, HX, category_id=category, description=WORDS, building="3栋", contact=CONTACT,
                            session_key="privacy-walk")
    hotline = raise_issue(db, secretary, HX, title=HOTLINE_TITLE, category_id=category, raised_by_kind="hotline",
                          channel="hotline", description="雨后地库入口积水,车辆难以通行。",
                          reporter_name=NAME, unit=UNIT, contact=PHONE)
    planned = [m for m in meeting_svc.list_meetings(db, secretary, HX) if m["status"] == "planned"]
    meeting = planned[0]["id"] if planned else meeting_svc.schedule_meeting(db, secretary, HX)
    agenda_svc.add_to_agenda(db, secretary, meeting, hotline)
    published = one(db, "SELECT max(id) AS id FROM meetings WHERE compound_id = ? AND status = 'published'", [HX])["id"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DELIBERATION_DB", str(path))
        yield {"db": db, "concern": concern, "hotline": hotline, "meeting": meeting, "published": published}
    db.close()


def leaked(text: str) -> list[str]:
    return [m for m in MARKERS if m in text]


def actor_of(db, username: str) -> Actor:
    return RESIDENT if username == "resident" else load_actor(db, user_id(db, username))


# ------------------------------------------------------------------ what the form promises

def promised_roles() -> set[Role]:
    """The roles the concern form names in "只有本小区…能看到"."""
    notice = translate("public.raise.privacy", "zh")
    named = re.search(r"只有本小区(.+?)能看到", notice)
    assert named, notice
    return {role for role, label in ROLE_LABELS.items() if label in named.group(1)}


def test_the_form_promises_exactly_the_roles_the_service_gives_the_residents_words_to(walk):
    db = walk["db"]
    one_of_each = {Role.SECRETARY: "hx_secretary", Role.RECORDER: "hx_recorder", Role.SEAT_REP: "hx_property",
                   Role.OFFICER: "songyuan_officer", Role.ADMIN: "admin", Role.RESIDENT: "resident"}
    assert set(one_of_each) == set(Role)
    seeing = set()
    for role, username in one_of_each.items():
        try:
            detail = issue_detail(db, actor_of(db, username), walk["concern"])
        except PermissionDenied:
            continue
        if WORDS in repr(detail) and CONTACT in repr(detail):
            seeing.add(role)
    assert promised_roles() == seeing == {Role.SECRETARY, Role.RECORDER}
    # The form's other promises say the same: the description and contact fields name the branch's two roles.
    for key in ("public.raise.description", "public.raise.contact"):
        assert "支部书记和记录员" in translate(key, "zh")


# ------------------------------------------------------------------ every page the role's menu offers

def pages_of(walk, username: str):
    """(where, AppTest) for every page of the role's menu, with the query params that open the seeded
    issues and the meeting; the public board on every tab."""
    db = walk["db"]
    role = Role.RESIDENT if username == "resident" else actor_of(db, username).role
    uid = None if username == "resident" else user_id(db, username)
    for spec in pages_for(None if uid is None else role):
        if spec.name == "signin":
            continue
        if spec.name == "public":
            for tab in ("问题进展", "公示与评价", "议事会议", "上报与答复", "我要反映"):
                yield f"public/{tab}", open_page("public", user=uid, query={"compound": HX, "issue": walk["concern"]},
                                                 state={"public_tab": tab}, router=uid is not None)
        elif spec.name == "issue":
            for issue_id in (walk["concern"], walk["hotline"]):
                yield f"issue/{issue_id}", open_page("issue", user=uid, query={"issue": issue_id}, router=True)
        elif spec.name == "meetings":
            for meeting_id in (walk["meeting"], walk["published"]):
                yield f"meetings/{meeting_id}", open_page("meetings", user=uid,
                                                          query={"compound": HX, "meeting": meeting_id}, router=True)
        else:
            yield spec.name, open_page(spec.name, user=uid, query={"compound": HX}, router=True)


@pytest.mark.parametrize("username", (*READERS, "resident"))
def test_no_page_the_role_can_open_shows_a_residents_words_or_contact(walk, username):
    reached = False
    for where, at in pages_of(walk, username):
        assert not at.exception, where
        shown = everything(at)
        assert leaked(shown) == [], where
        reached = reached or (where.startswith("issue/") and HOTLINE_TITLE in shown)
    # Signed-in readers did open the hotline issue itself (staff text shows), so the walk is not empty.
    assert reached or username == "resident"


@pytest.mark.parametrize("username", BRANCH)
def test_the_secretary_and_the_recorder_do_see_them_on_the_issue_page(walk, username):
    uid = user_id(walk["db"], username)
    concern = everything(open_page("issue", user=uid, query={"issue": walk["concern"]}, router=True))
    hotline = everything(open_page("issue", user=uid, query={"issue": walk["hotline"]}, router=True))
    assert WORDS in concern and CONTACT in concern
    assert NAME in hotline and UNIT in hotline and PHONE in hotline


# ------------------------------------------------------------------ every export


def exports_of(walk, actor: Actor):
    """(name, text) of every export the actor is allowed to build; a refusal means it is not offered."""
    db = walk["db"]
    builders = {
        "register": lambda: documents_svc.register_rows(db, actor, HX),
        "agenda": lambda: agenda_view(db, actor, walk["meeting"]),       # a planned meeting: its papers
        "sign-in sheet": lambda: sign_in_view(db, actor, walk["meeting"]),
        "minutes internal (published meeting)": lambda: documents_svc.minutes_view(db, actor, walk["published"]),
        "minutes public": lambda: documents_svc.minutes_view(db, actor, walk["published"], public=True),
        "notice": lambda: documents_svc.notice_view(db, actor, HX),
        "report": lambda: report_view(db, actor, compound_id=HX, month=MONTH),
    }
    for name, build in builders.items():
        try:
            view = build()
        except PermissionDenied:
            continue
        if name == "register":
            yield "register.xlsx", xlsx_text(register_xlsx(view))
            yield "register.csv", "\n".join(",".join(r) for r in csv.reader(
                io.StringIO(register_csv(view).decode("utf-8-sig"))))
        elif name == "agenda":
            yield "agenda.docx", docx_text(agenda_docx(view))
            yield "agenda.pdf", pdf_text(agenda_pdf(view))
        elif name == "sign-in sheet":
            yield "sign-in.docx", docx_text(sign_in_docx(view))
            yield "sign-in.pdf", pdf_text(sign_in_pdf(view))
        elif name.startswith("minutes"):
            yield f"{name}.docx", docx_text(minutes_docx(view))
            yield f"{name}.pdf", pdf_text(minutes_pdf(view))
            yield f"{name}.md", minutes_markdown(view)
        elif name == "notice":
            yield "notice.docx", docx_text(notice_docx(view))
            yield "notice.pdf", pdf_text(notice_pdf(view))
        else:
            yield "report.docx", docx_text(report_docx(view))
            yield "report.xlsx", xlsx_text(report_xlsx(view))


@pytest.mark.parametrize("username", (*READERS, "resident"))
def test_no_export_the_role_can_build_carries_a_residents_words_or_contact(walk, username):
    actor = actor_of(walk["db"], username)
    built = dict(exports_of(walk, actor))
    for name, text in built.items():
        assert leaked(text) == [], name
    if username != "resident":
        # The register and the agenda list the hotline issue: the file was really looked at.
        assert HOTLINE_TITLE in built["register.xlsx"] and HOTLINE_TITLE in built["register.csv"]
        assert HOTLINE_TITLE in built["agenda.pdf"] and HOTLINE_TITLE in built["agenda.docx"]
    else:
        assert set(built) <= {"minutes public.docx", "minutes public.pdf", "minutes public.md"}


@pytest.mark.parametrize("username", ("hx_property", "hx_owners"))
def test_seat_representatives_get_no_internal_minutes_but_the_public_ones(walk, username):
    built = dict(exports_of(walk, actor_of(walk["db"], username)))
    assert not any(name.startswith("minutes internal") for name in built)
    assert "minutes public.md" in built


# ------------------------------------------------------------------ every read service

def read_services(walk, actor: Actor):
    db, concern, hotline, meeting = walk["db"], walk["concern"], walk["hotline"], walk["meeting"]
    area_ids = [r["id"] for r in rows(db, "SELECT id FROM areas")]
    return {
        "issue_detail(concern)": lambda: issue_detail(db, actor, concern),
        "issue_detail(hotline)": lambda: issue_detail(db, actor, hotline),
        "list_issues": lambda: list_issues(db, actor, HX, page_size=200),
        "register_rows": lambda: documents_svc.register_rows(db, actor, HX),
        "list_members": lambda: list_members(db, actor, HX),
        "list_meetings": lambda: meeting_svc.list_meetings(db, actor, HX),
        "attendance": lambda: meeting_svc.attendance(db, actor, walk["published"]),
        "meeting_detail": lambda: meeting_detail(db, actor, meeting),
        "agenda": lambda: agenda_svc.agenda(db, actor, meeting),
        "propose_agenda": lambda: agenda_svc.propose_agenda(db, actor, HX),
        "minutes_state": lambda: documents_svc.minutes_state(db, actor, meeting),
        "workbench": lambda: workbench_svc.workbench(db, actor, HX),
        "concerns_to_accept": lambda: workbench_svc.concerns_to_accept(db, actor, HX),
        "escalations_for_me": lambda: workbench_svc.escalations_for_me(db, actor),
        "pending_escalations": lambda: pending_escalations(db, actor),
        "actions_for_seat": lambda: actions_for_seat(db, actor, HX, actor.seat_code),
        "dashboard": lambda: [getattr(dashboard_svc, f)(db, actor, HX) for f in (
            "issues_by_stage", "issues_by_category", "issues_by_raiser", "open_issues_by_meeting",
            "days_to_resolve", "attendance_by_seat")],
        "area_rollup": lambda: [area_rollup(db, actor, a) for a in area_ids if actor.area_id in (a, None)],
        "report_view": lambda: report_view(db, actor, compound_id=HX, month=MONTH),
        "audit_events": lambda: audit_events(db, actor, page_size=1000),
        "list_compounds": lambda: list_compounds(db, actor),
        "public board": lambda: (board.public_issues(db, HX, page_size=1000), board.public_timeline(db, concern),
                                 board.public_issue(db, concern), board.public_meetings(db, HX),
                                 board.public_escalations(db, HX), concern_status(db, concern)),
    }


@pytest.mark.parametrize("username", (*READERS, "resident"))
def test_no_read_service_the_role_can_call_returns_a_residents_words_or_contact(walk, username):
    actor = actor_of(walk["db"], username)
    answered = []
    for name, call in read_services(walk, actor).items():
        try:
            result = call()
        except (PermissionDenied, NotFound):
            continue
        assert leaked(repr(result)) == [], name
        answered.append(name)
    assert "public board" in answered
    if username != "resident":
        assert {"issue_detail(concern)", "issue_detail(hotline)", "register_rows", "list_issues"} <= set(answered)


@pytest.mark.parametrize("username", BRANCH)
def test_the_branch_reads_them_through_the_services(walk, username):
    actor = actor_of(walk["db"], username)
    assert leaked(repr(issue_detail(walk["db"], actor, walk["concern"]))) == [WORDS, CONTACT]
    assert leaked(repr(issue_detail(walk["db"], actor, walk["hotline"]))) == [NAME, UNIT, PHONE]


# ------------------------------------------------------------------ reads that follow the role

def test_seat_representatives_read_the_roster_without_phones_and_no_internal_meeting_record(walk):
    db = walk["db"]
    rep, officer = actor_of(db, "hx_property"), actor_of(db, "songyuan_officer")
    assert [m["phone"] for m in list_members(db, rep, HX)] == [""] * len(list_members(db, rep, HX))
    assert any(m["phone"] for m in list_members(db, officer, HX))          # officers read all (DESIGN.md)
    refused_before = one(db, "SELECT count(*) AS n FROM events WHERE kind = 'refused'")["n"]
    for read in (lambda: meeting_svc.attendance(db, rep, walk["published"]),
                 lambda: meeting_detail(db, rep, walk["published"]),
                 lambda: agenda_svc.agenda(db, rep, walk["published"]),
                 lambda: documents_svc.minutes_view(db, rep, walk["published"])):
        with pytest.raises(PermissionDenied) as refused:
            read()
        assert "(此操作已记录)" in str(refused.value)
    assert one(db, "SELECT count(*) AS n FROM events WHERE kind = 'refused'")["n"] == refused_before + 4
    # The same reads answer the officer, and the public minutes answer the seat representative.
    assert meeting_svc.attendance(db, officer, walk["published"])
    assert documents_svc.minutes_view(db, rep, walk["published"], public=True).public


def test_seat_representatives_get_no_discussion_and_no_internal_note_on_the_issue(walk):
    db = walk["db"]
    discussed = one(db, """SELECT a.issue_id FROM agenda_items a JOIN issues i ON i.id = a.issue_id
                           WHERE i.compound_id = ? AND a.discussion != '' LIMIT 1""", [HX])["issue_id"]
    rep, recorder = actor_of(db, "hx_owners"), actor_of(db, "hx_recorder")
    assert any(m["discussion"] for m in issue_detail(db, recorder, discussed)["meetings"])
    assert [m["discussion"] for m in issue_detail(db, rep, discussed)["meetings"] if m["discussion"]] == []


# ------------------------------------------------------------------ the residents' light pages

def resident_paths(db) -> list[str]:
    """Every GET page of web/resident for 鸿翔花园: the board (every stage filter, every page) and
    every issue of the compound by its number, plus the report and track forms."""
    from deliberation.model.lifecycle import Stage
    numbers = [r["number"] for r in rows(db, "SELECT number FROM issues WHERE compound_id = ? ORDER BY number", [HX])]
    paths = [f"/board/{HX}", f"/board/{HX}/report", f"/board/{HX}/track"]
    paths += [f"/board/{HX}?page={n}" for n in range(1, len(numbers) // 20 + 2)]
    paths += [f"/board/{HX}?stage={stage.value}" for stage in Stage]
    return paths + [f"/board/{HX}/issues/{n}" for n in numbers]


def test_no_resident_page_shows_a_residents_words_or_contact(walk):
    """The light pages (/board/…) over real HTTP, each page of the compound: no marker, while the
    seeded issues themselves are there (the hotline's title, the concern's page)."""
    import io

    from PIL import Image

    from deliberation.services.photos import attach_photos
    from deliberation.web.resident import routes
    from tests.resident_http import get, serving

    db = walk["db"]
    secretary = load_actor(db, user_id(db, "hx_secretary"))
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 90)).save(picture, "JPEG")
    [private_photo] = attach_photos(db, secretary, walk["concern"], [picture.getvalue()], kind="issue")
    concern_number = one(db, "SELECT number FROM issues WHERE id = ?", [walk["concern"]])["number"]
    with serving(routes()) as port:
        shown = {path: get(port, path, {"Accept-Encoding": "gzip"}) for path in resident_paths(db)}
        photo = get(port, f"/board/{HX}/photos/{private_photo}.jpg")
        thumb = get(port, f"/board/{HX}/photos/{private_photo}/thumb.jpg")
    for path, answer in shown.items():
        assert answer.status == 200, path
        assert leaked(answer.text) == [], path
    assert any(HOTLINE_TITLE in a.text for a in shown.values())
    assert f"/board/{HX}/issues/{concern_number}" in shown and "办理经过" in shown[f"/board/{HX}/issues/{concern_number}"].text
    assert photo.status == thumb.status == 404          # a concern's photo stays private until marked public


# ------------------------------------------------------------------ old databases

def test_m016_moves_a_residents_description_of_an_old_database_onto_its_report(tmp_path):
    from deliberation.store.migrations import migrations
    db = open_db(tmp_path / "old.db", migrate=False)
    migrations.apply(db, stop_before="m016_residents_own_words")
    db.execute("INSERT INTO areas (id, name, level) VALUES (1, '松园社区', 'community')")
    db.execute("INSERT INTO compounds (id, area_id, name, created_at) VALUES (1, 1, '甲花园', 'x')")
    db.execute("INSERT INTO categories (id, compound_id, name, position) VALUES (1, 1, '环境', 1)")
    for issue_id, kind, text in ((1, "resident", WORDS), (2, "seat", "物业提出:地库照明不足")):
        db.execute("""INSERT INTO issues (id, compound_id, title, description, category_id, raised_by_kind, channel,
                      raised_on, stage_entered_on, created_at, updated_at)
                      VALUES (?, 1, '居民反映:环境', ?, 1, ?, 'board', '2026-01-05', '2026-01-05', 'x', 'x')""",
                   [issue_id, text, kind])
        for _ in range(2):             # the issue's first report and a later 我也遇到
            db.execute("INSERT INTO reports (issue_id, kind, contact, created_at) VALUES (?, ?, ?, 'x')",
                       [issue_id, kind, CONTACT])
    migrations.apply(db)
    assert rows(db, "SELECT id, description FROM issues ORDER BY id") == [
        {"id": 1, "description": ""}, {"id": 2, "description": "物业提出:地库照明不足"}]
    assert [r["words"] for r in rows(db, "SELECT words FROM reports ORDER BY id")] == [WORDS, "", "", ""]
    db.close()
