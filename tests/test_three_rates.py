"""三率 on hand-made data: each test builds a month of one compound through the real services under
a set clock, counts by hand what the written formula says, and compares with what the services
compute: 响应率 (concerns answered within the limit), 解决率 (resolved over resolved + closed
unresolved, duplicates apart) and 满意率 (households' ratings, 满意 and 基本满意 weighted)."""
from __future__ import annotations

from datetime import datetime

import pytest

from deliberation.cli import main as cli
from deliberation.model.errors import DomainError, PermissionDenied
from deliberation.services.clock import clock_at
from deliberation.services.concerns import raise_concern
from deliberation.services.issues import accept_concern, merge_issues, reject_concern, transition_issue
from deliberation.services.publicity import give_feedback
from deliberation.services.reports import report_view
from deliberation.services.rollup import area_rollup
from deliberation.services.three_rates import (compound_rates, parse_weights, period_rates, rates_from_counts,
                                               satisfaction_weights, set_satisfaction_weights)
from deliberation.exports.report import report_docx, report_xlsx
from tests.document_text import docx_text, xlsx_text
from tests.factories import (category_id, db_path, household_codes, issue_in_stage, make_issue, version_of)

MARCH, APRIL = "2026-03-01", "2026-04-01"
AFTER_MARCH = datetime(2026, 4, 1, 10, 0)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute)


def concern(world, when: datetime, compound: str = "A", key: str = "") -> int:
    with clock_at(when):
        return raise_concern(world.db, world.compounds[compound], category_id=category_id(world.db, world.compounds[compound]),
                             description="地库晚上车位不够停,车停到消防通道", session_key=key or f"s-{when:%d%H%M}")


def accept(world, issue_id: int, when: datetime) -> None:
    with clock_at(when):
        accept_concern(world.db, world.actors["secretary_a"], issue_id, version_of(world.db, issue_id))


def rates_of_a_in_march(world, actor_key: str = "secretary_a"):
    with clock_at(AFTER_MARCH):
        return compound_rates(world.db, world.actors[actor_key], world.a, MARCH, APRIL)


# ------------------------------------------------------------------ 响应率

@pytest.fixture
def march_concerns(world):
    """Residents' concerns of compound A (limit 24 h) around March 2026, and how each was answered."""
    first = concern(world, at(2, 9))
    accept(world, first, at(2, 20))                                    # 11 h: in time
    on_the_dot = concern(world, at(3, 9))
    accept(world, on_the_dot, at(4, 9))                                # exactly 24 h: still in time
    late = concern(world, at(5, 9))
    with clock_at(at(6, 10)):                                          # 25 h: answered, late
        reject_concern(world.db, world.actors["secretary_a"], late, version_of(world.db, late), "属于市政道路,已转交")
    duplicate = concern(world, at(6, 9))
    with clock_at(at(6, 12)):                                          # merged after 3 h: in time
        merge_issues(world.db, world.actors["secretary_a"], duplicate, first)
    concern(world, at(10, 9))                                          # never answered: past its limit
    concern(world, at(31, 20))                                         # 14 h old on 1 April 10:00: inside its limit
    concern(world, at(28, 9, month=2))                                 # February: another period
    with clock_at(at(12, 9)):
        make_issue(world.db, world.actors["secretary_a"], world.a)     # raised by a seat: not a resident's concern
    return {"first": first, "late": late, "duplicate": duplicate}


def test_the_response_rate_counts_concerns_answered_within_the_limit_over_those_due_an_answer(world, march_concerns):
    # By hand: due an answer = answered (first, on_the_dot, late, duplicate) + past the limit
    # unanswered (10 March) = 5; within the limit: first, on_the_dot, duplicate = 3. The concern of
    # 31 March is still inside its 24 h and unanswered: in neither.
    response = rates_of_a_in_march(world).response
    assert (response.numerator, response.denominator) == (3, 5)
    assert response.value == pytest.approx(3 / 5)
    assert response.formula() == "响应率 = 时限内响应的居民反映 3 ÷ 应响应的居民反映 5 = 60.0%"
    assert response.formula("en") == ("Response rate = concerns answered within the limit 3 ÷ "
                                      "concerns due an answer 5 = 60.0%")


def test_a_concern_still_inside_its_limit_joins_the_denominator_once_the_limit_passes(world, march_concerns):
    with clock_at(at(1, 21, month=4)):                                 # the 31 March concern is now 25 h old
        response = compound_rates(world.db, world.actors["secretary_a"], world.a, MARCH, APRIL).response
    assert (response.numerator, response.denominator) == (3, 6)


def test_a_longer_limit_set_for_the_compound_counts_the_late_answer_as_in_time(world, march_concerns):
    from deliberation.services.compounds import get_compound, update_compound_rules
    update_compound_rules(world.db, world.actors["secretary_a"], world.a, get_compound(world.db, world.a).version,
                          response_limit_hours=48)
    response = rates_of_a_in_march(world).response
    # The rejection after 25 h is now in time; the 10 March concern is still past 48 h.
    assert (response.numerator, response.denominator) == (4, 5)


# ------------------------------------------------------------------ 解决率

def test_the_resolution_rate_is_resolved_over_resolved_and_closed_unresolved_duplicates_apart(world, march_concerns):
    secretary = world.actors["secretary_a"]
    with clock_at(at(15, 9)):
        issue_in_stage(world.db, secretary, world.a, "resolved", title="电梯异响")
    with clock_at(at(20, 9)):
        issue_in_stage(world.db, secretary, world.a, "resolved", title="路灯不亮")
        issue_in_stage(world.db, secretary, world.a, "closed", title="撤回的议题")
    with clock_at(at(20, 9, month=2)):
        issue_in_stage(world.db, secretary, world.a, "resolved", title="二月办结")     # ended in February
    with clock_at(at(21, 9)):
        reopened = issue_in_stage(world.db, secretary, world.a, "closed", title="关闭后重开")
        transition_issue(world.db, secretary, reopened, "deliberating", expected_version=version_of(world.db, reopened),
                         note="有新情况")                                              # no longer ended
    # By hand, issues that ended in March and are still ended: resolved 2 (电梯异响, 路灯不亮);
    # closed without a fix 2 (撤回的议题, and the concern rejected on 6 March); the merged
    # duplicate of 6 March is apart.
    resolution = rates_of_a_in_march(world).resolution
    assert (resolution.numerator, resolution.denominator) == (2, 4)
    assert resolution.formula() == "解决率 = 已办结 2 ÷ (已办结 2 + 关闭未解决 2) = 50.0%"


def test_when_every_issue_that_ended_is_a_duplicate_the_resolution_rate_has_no_value(world):
    kept = concern(world, at(2, 9))
    accept(world, kept, at(2, 10))
    for hour in (11, 12):
        with clock_at(at(2, hour)):
            merge_issues(world.db, world.actors["secretary_a"], concern(world, at(2, hour - 1, 30)), kept)
    resolution = rates_of_a_in_march(world).resolution
    assert (resolution.numerator, resolution.denominator, resolution.value) == (0, 0, None)
    assert resolution.shown == "—"
    assert resolution.formula() == "解决率 = 已办结 0 ÷ (已办结 0 + 关闭未解决 0) = —(暂无数据)"


# ------------------------------------------------------------------ 满意率

@pytest.fixture
def rated_in_march(world):
    """An issue of A in 公示 from 10 March; four households rate it, one of them twice; one voice
    without a household code."""
    secretary = world.actors["secretary_a"]
    with clock_at(at(10, 9)):
        issue_id = issue_in_stage(world.db, secretary, world.a, "publicizing", title="垃圾房异味")
    codes = household_codes(world.db, world.a, 4)
    with clock_at(at(11, 9)):
        for code, rating in zip(codes, ("satisfied", "basic", "unsatisfied", "satisfied")):
            give_feedback(world.db, issue_id, rating, session_key=f"k-{code}", household_code=code)
        give_feedback(world.db, issue_id, "satisfied", session_key="no-code")
    with clock_at(at(12, 9)):
        give_feedback(world.db, issue_id, "basic", session_key=f"k-{codes[3]}", household_code=codes[3])
    return issue_id


def test_the_satisfaction_rate_weighs_households_latest_ratings(world, rated_in_march):
    # By hand: households' latest ratings: 满意 1, 基本满意 2 (one changed its 满意 to 基本满意),
    # 不满意 1; the voice without a code is apart. (1×1 + 0.8×2) ÷ 4 = 65.0%.
    satisfaction = rates_of_a_in_march(world).satisfaction
    assert satisfaction.numerator == pytest.approx(1 * 1 + 0.8 * 2)
    assert satisfaction.denominator == 4
    assert satisfaction.formula() == "满意率 = (1×满意 1 + 0.8×基本满意 2) ÷ 住户评价 4 = 65.0%"


def test_weights_set_for_the_deployment_change_the_satisfaction_rate(world, rated_in_march):
    set_satisfaction_weights(world.db, world.actors["admin"], "1,0.5")
    assert satisfaction_weights(world.db, world.actors["admin"]) == (1.0, 0.5)
    satisfaction = rates_of_a_in_march(world).satisfaction
    assert satisfaction.value == pytest.approx((1 * 1 + 0.5 * 2) / 4)
    assert satisfaction.formula() == "满意率 = (1×满意 1 + 0.5×基本满意 2) ÷ 住户评价 4 = 50.0%"


def test_weights_set_from_the_command_line_are_what_the_rates_use(world, rated_in_march, capsys):
    assert cli(["config", "set", "satisfaction-weights", "1,0.6", "--db", db_path(world.db)]) == 0
    assert cli(["config", "get", "satisfaction-weights", "--db", db_path(world.db)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "1,0.6"
    assert rates_of_a_in_march(world).satisfaction.value == pytest.approx((1 + 0.6 * 2) / 4)


@pytest.mark.parametrize("text", ["1.2,0.8", "1", "1,0.8,0.5", "a,b", "-0.1,0.5", "nan,0.5", ""])
def test_weights_outside_zero_to_one_are_refused_in_chinese(text):
    with pytest.raises(DomainError, match="0 到 1"):
        parse_weights(text)


@pytest.mark.parametrize("text", ["1.2,0.8", "1", "a,b", ""])
def test_the_command_line_refuses_bad_weights_in_chinese_and_keeps_the_old_ones(world, text, capsys):
    assert cli(["config", "set", "satisfaction-weights", text, "--db", db_path(world.db)]) != 0
    assert "0 到 1" in capsys.readouterr().err
    assert satisfaction_weights(world.db, world.actors["admin"]) == (1.0, 0.8)     # nothing stored


def test_only_the_admin_sets_the_weights(world):
    with pytest.raises(PermissionDenied):
        set_satisfaction_weights(world.db, world.actors["secretary_a"], "1,0.5")


def test_without_ratings_the_satisfaction_rate_is_no_data_not_zero(world, march_concerns):
    satisfaction = rates_of_a_in_march(world).satisfaction
    assert (satisfaction.denominator, satisfaction.value, satisfaction.shown) == (0, None, "—")
    assert "0.0%" not in satisfaction.formula()


def test_a_compound_with_nothing_at_all_has_three_rates_without_value():
    assert [r.value for r in rates_from_counts({}, (1.0, 0.8))] == [None, None, None]


# ------------------------------------------------------------------ who may read them

@pytest.mark.parametrize("username", ["officer_other", "secretary_b"])
def test_a_compound_s_rates_are_refused_outside_the_reader_s_scope(world, username):
    with pytest.raises(PermissionDenied):
        rates_of_a_in_march(world, username)
    with pytest.raises(PermissionDenied):
        period_rates(world.db, world.actors[username], {world.a}, MARCH, APRIL)


def test_an_officer_of_another_area_cannot_roll_up_this_area_s_rates(world):
    with pytest.raises(PermissionDenied):
        area_rollup(world.db, world.actors["officer_other"], world.areas["松园社区"])


def test_a_secretary_s_rollup_holds_only_the_own_compound_s_rates(world, march_concerns):
    with clock_at(AFTER_MARCH):
        data = area_rollup(world.db, world.actors["secretary_b"], world.areas["松园社区"])
    assert [r["compound_id"] for r in data["rows"]] == [world.compounds["B"]]
    assert data["rates"].response.denominator == 0            # A's concerns are not counted in


def test_the_area_officer_reads_the_rates_of_compounds_under_the_area(world, march_concerns):
    assert rates_of_a_in_march(world, "officer").response.denominator == 5


# ------------------------------------------------------------------ roll-up and monthly report

def test_the_rollup_gives_each_compound_its_rates_and_the_area_its_pooled_rates(world, march_concerns):
    answered_in_b = concern(world, at(3, 9), compound="B")
    with clock_at(at(5, 9)):                                             # 48 h: late
        accept_concern(world.db, world.actors["secretary_b"], answered_in_b, version_of(world.db, answered_in_b))
    with clock_at(AFTER_MARCH):
        data = area_rollup(world.db, world.actors["officer"], world.areas["松园社区"], window_days=365)
    by_compound = {r["compound_id"]: r["rates"] for r in data["rows"]}
    # The last 12 months hold March and the February concern (unanswered, past its limit) too.
    assert (by_compound[world.a].response.numerator, by_compound[world.a].response.denominator) == (3, 6)
    assert (by_compound[world.compounds["B"]].response.numerator,
            by_compound[world.compounds["B"]].response.denominator) == (0, 1)
    # The area pools the counts: 3 in time of 7 due, not the mean of 50% and 0%.
    assert (data["rates"].response.numerator, data["rates"].response.denominator) == (3, 7)
    assert data["rates"].response.formula() == "响应率 = 时限内响应的居民反映 3 ÷ 应响应的居民反映 7 = 42.9%"
    assert [(a["area"], a["compounds"], a["rates"].response.denominator) for a in data["area_rates"]] == [
        ("松园社区", 2, 7)]


def test_the_monthly_report_writes_the_three_rates_with_their_formulas(world, march_concerns, rated_in_march):
    with clock_at(AFTER_MARCH):
        view = report_view(world.db, world.actors["secretary_a"], compound_id=world.a, month="2026-03")
    text = docx_text(report_docx(view))
    assert "八、三率" in text
    assert "响应率 = 时限内响应的居民反映 3 ÷ 应响应的居民反映 5 = 60.0%" in text
    assert "满意率 = (1×满意 1 + 0.8×基本满意 2) ÷ 住户评价 4 = 65.0%" in text
    sheet = xlsx_text(report_xlsx(view))
    assert "响应率 = 时限内响应的居民反映 3 ÷ 应响应的居民反映 5 = 60.0%" in sheet


def test_a_month_without_data_reports_each_rate_as_a_dash(world):
    with clock_at(AFTER_MARCH):
        view = report_view(world.db, world.actors["secretary_a"], compound_id=world.a, month="2026-03")
    assert [(name, value) for name, value, *_ in view.rates] == [("响应率", None), ("解决率", None), ("满意率", None)]
    text = docx_text(report_docx(view)).splitlines()
    formulas = [line for line in text if line.startswith(("响应率 =", "解决率 =", "满意率 ="))]
    assert len(formulas) == 3 and all(line.endswith("= —(暂无数据)") for line in formulas)
    assert text[text.index("响应率") + 1] == "—"                 # the overview's figure: a dash, not 0%
