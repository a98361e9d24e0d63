"""The words of the residents' light pages that come from codes (stages, outcomes, reasons).
Kept here so the page folder depends only on itself (the Streamlit board has its own catalogue)."""
from __future__ import annotations

from deliberation.model.lifecycle import CLOSE_REASONS, STAGE_LABELS, Level, Stage

# Two characters each: seven stages in one row on a 390 px phone.
SHORT_STAGE = {Stage.COLLECTED: "问事", Stage.DELIBERATING: "议事", Stage.ACTING: "干事", Stage.ESCALATED: "上报",
               Stage.PUBLICIZING: "公示", Stage.RESOLVED: "办结", Stage.CLOSED: "关闭"}
STAGES = [(s.value, STAGE_LABELS[s], SHORT_STAGE[s]) for s in Stage]
STAGE_VALUES = {s.value for s in Stage}
BADGE_CLASS = {"publicizing": "pub", "resolved": "ok", "closed": "closed"}
OUTCOMES = {"settled": "会上解决", "actions": "分工落实", "deferred": "暂缓/下次再议", "escalated": "上报"}
KINDS = {"raised": "提出", "accepted": "受理", "on_agenda": "列入议程", "deferred": "暂缓再议",
         "escalation_answered": "上级答复", "escalation_passed": "转报上级", "merged": "合并重复问题",
         "household_added": "又一户反映",
         "action_updated": "任务完成", "feedback": "居民评价"}
PHOTO_KINDS = {"concern": "居民反映时的照片", "issue": "现场照片", "result": "办结后的照片"}


def stage_label(stage: str | None, *, accepted: bool = True) -> str:
    if stage == Stage.COLLECTED.value and not accepted:
        return "已收到,待支部受理"
    return STAGE_LABELS[Stage(stage)] if stage in STAGE_VALUES else ""


def level_label(level: str | None) -> str:
    return Level(level).label if level in {lv.value for lv in Level} else ""


def close_reason(reason: str | None) -> str:
    return CLOSE_REASONS.get(reason or "", "")


def timeline_step(event: dict) -> str:
    """What happened, in words: "民主议事 → 合力干事", "受理", with the meeting when there is one."""
    if event["kind"] == "transition" and event["to_stage"]:
        step = "已合并" if event.get("merge") else stage_label(event["to_stage"])
        if event["from_stage"]:
            step = f"{stage_label(event['from_stage'])} → {step}"
    else:
        step = KINDS.get(event["kind"], "进展")
    if event["meeting_number"]:
        step += f"(第{event['meeting_number']}次会议)"
    return step


def result_line(issue) -> str:
    """The result in one phrase, for a list: where it was fixed, or why it was closed."""
    if issue.stage == Stage.RESOLVED.value:
        level = level_label(issue.resolved_level)
        return f"已在{level}层面解决" if level else "已解决"
    if issue.stage == Stage.CLOSED.value and issue.merged_into:
        return f"已并入 #{issue.merged_into} 一并办理"
    if issue.stage == Stage.CLOSED.value:
        reason = close_reason(issue.closed_reason)
        return f"关闭:{reason}" if reason else "已关闭"
    if issue.stage == Stage.PUBLICIZING.value and issue.days_left is not None:
        return f"公示中,还剩 {issue.days_left} 天"
    return ""
