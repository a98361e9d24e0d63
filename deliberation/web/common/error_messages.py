"""The services' messages (DomainError and its kinds) in English, for the English UI.

The services speak Chinese, the working language: their messages are what the CLI prints and the
audit trail keeps. The English UI translates them here, as context.attempt shows them. Each entry
is the Chinese message as the service words it, with {placeholders} where it quotes a value, and
its English. A placeholder is copied as it is (names people typed stay as typed), or, written
{name|vocabulary}, looked up in one of the vocabularies below (a stage, a level, a permission).
A message not listed stays in Chinese: tests/test_defects_13.py drives the common refusals
through the real services and checks that each comes out in English.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ...model.defaults import ACTION_STATUSES
from ...model.lifecycle import STAGE_LABELS
from .i18n import translate

# Chinese word -> English. Stages and task statuses by the UI's own names for them.
_VOCABULARIES: dict[str, dict[str, str]] = {
    "stage": {label: translate(f"stage.{stage.value}", "en") for stage, label in STAGE_LABELS.items()},
    "task_status": {label: translate(f"tasks.status.{code}", "en").lower() for code, label in ACTION_STATUSES.items()},
    "level": {"小区": "compound", "社区": "community", "街道": "subdistrict", "区": "district"},
    "action": {
        "管理用户": "manage users", "管理区域": "manage areas", "管理协商成员与规则": "manage the roster and rules",
        "查看小区内部信息": "read the compound's internal records",
        "查看内部会议记录与成员电话": "read internal minutes and members' phone numbers",
        "查看居民原话与联系方式": "read residents' own words and contacts", "登记议题": "register issues",
        "修改议题": "edit issues", "变更议题阶段": "move issues between stages", "公示与发布": "publish",
        "组织会议": "run meetings", "更新任务": "update tasks", "更新本主体任务": "update your seat's tasks",
        "取消任务或调整期限": "cancel tasks or change due dates", "上报": "escalate",
        "答复上报": "answer escalations", "查看报表": "read reports", "查看审计日志": "read the audit log",
        "查看公示栏": "read the public board", "反映问题": "raise concerns", "评价结果": "rate results"},
}

# (Chinese as the service words it, English). More specific entries first.
MESSAGES: tuple[tuple[str, str], ...] = (
    # --- anywhere: permissions, a busy or full store, someone else's change, things gone
    ("您没有权限{what|action}(此操作已记录)", "You may not {what} (this attempt has been logged)."),
    ("数据库正忙,请稍后重试(您填写的内容已保留)", "The database is busy; try again in a moment (what you typed is kept)."),
    ("磁盘空间不足,保存失败;请联系管理员腾出空间后重试(您填写的内容已保留)",
     ("The server's disk is full, so nothing was saved; ask the administrator to free space, then try again "
      "(what you typed is kept).")),
    ("该记录已被他人修改,请刷新后重试", "Someone else changed this meanwhile; reload the page and try again."),
    ("该小区的设置已被他人修改,请刷新后重试(您填写的内容已保留)",
     "Someone else changed this compound's settings meanwhile; reload and try again (what you typed is kept)."),
    ("请先修改初始密码(一次性密码只能用于首次登录),再进行其他操作",
     "Change your one-time password first (it is only for the first sign-in)."),
    ("找不到该小区", "Compound not found."), ("找不到该议题", "Issue not found."),
    ("找不到该会议", "Meeting not found."), ("找不到该议程项", "Agenda item not found."),
    ("找不到该协商主体", "Seat not found."), ("找不到该成员", "Member not found."),
    ("找不到该类别", "Category not found."), ("找不到该任务", "Task not found."),
    ("找不到该用户", "User not found."), ("找不到该区域", "Area not found."),
    ("找不到该上报事项", "Escalation not found."), ("找不到上级区域", "Parent area not found."),
    ("找不到小区“{name}”", "No compound named “{name}”."), ("找不到区域“{name}”", "No area named “{name}”."),
    ("该议题已合并", "This issue has been merged into another."),
    # --- the roster: seats, members, categories
    ("已有名为“{name}”的协商主体", "A seat named “{name}” already exists."),
    ("协商主体名称不能为空", "Give the seat a name."),
    ("党支部是召集方,不能停用", "The party branch convenes the meetings and cannot be retired."),
    ("成员姓名不能为空", "Give the member's name."), ("电话号码格式不正确", "The phone number is not valid."),
    ("请选择本小区在用的协商主体", "Choose one of this compound's active seats."),
    ("类别名称不能为空", "Give the category a name."), ("已有类别“{name}”", "The category “{name}” already exists."),
    ("各阶段期限必须是 1 到 365 天", "Each stage's limit must be 1 to 365 days."),
    # --- the standing rules
    ("每月第几个只能是 1–4 或最后一个", "The week of the month must be 1–4 or the last."),
    ("星期必须在周一到周日之间", "The weekday must be Monday to Sunday."),
    ("例会地点不能超过 100 个字", "The meeting place may not exceed 100 characters."),
    ("最少出席主体数必须在 1 到 20 之间", "The minimum of seats present must be 1 to 20."),
    ("公示期必须在 1 到 60 天之间", "The objection window must be 1 to 60 days."),
    ("异议阈值必须是正整数", "The objection threshold must be a positive whole number."),
    ("响应时限必须是 {low} 到 {high} 之间的整数小时", "The response limit must be a whole number of hours from {low} to {high}."),
    ("户数必须是 0 到 100000 之间的整数", "Households must be a whole number from 0 to 100,000."),
    ("地址须为一行,不超过 200 个字", "The address must be one line of at most 200 characters."),
    ("该小区已撤销,不能修改设置", "This compound is retired; its settings cannot change."),
    # --- issues
    ("议题标题不能为空", "Give the issue a title."),
    ("议题标题不能超过 120 字", "The title may not exceed 120 characters."),
    ("请选择本小区在用的议题类别", "Choose one of this compound's categories."),
    ("由协商主体提出的议题需要选择是哪个主体", "Choose which seat raised the issue."),
    ("提出日期不能晚于今天", "The date raised cannot be after today."),
    ("优先级只能是高、中、低", "Priority must be high, normal or low."),
    ("该反映已受理", "This concern has already been accepted."),
    ("该议题已办结或关闭,请另行反映", "This issue is resolved or closed; raise a new one."),
    ("不予受理需要写明理由(将在公示栏显示)", "Give the reason for not accepting it (shown on the public board)."),
    ("上报请使用“上报社区/街道”,并填写请求事项", "To escalate, use “Escalate” and say what is asked."),
    ("议题处于“{source|stage}”阶段,不能直接转为“{target|stage}”",
     "The issue is at “{source}”; it cannot move straight to “{target}”."),
    ("“{step}”需要填写说明", "“{step}” needs a note."),
    ("办结需要选择解决层级(小区/社区/街道)", "Choose the level that resolved it (compound, community or subdistrict)."),
    ("关闭议题需要选择原因", "Choose why the issue is closed."),
    ("只有支部书记可以办结公示中的议题", "Only the branch secretary may resolve an issue under 公示."),
    ("上级尚未答复该上报事项,请待社区/街道答复后再继续",
     "The escalation has not been answered yet; continue once the community or subdistrict answers."),
    ("重复的议题请用“合并到…”并入它重复的议题:反映户数、照片会一并转入",
     "Use “Merge into…” for a duplicate: its households and photos move with it."),
    ("该议题已并入议题 #{number},请在该议题上继续办理", "This issue was merged into #{number}; continue there."),
    ("居民反映尚未受理,请先受理", "Accept the resident's concern first."),
    # --- meetings: schedule, agenda, roll, decisions
    ("已有一次计划中的会议,请先召开或调整它", "A meeting is already planned; hold or reschedule it first."),
    ("只有计划中的会议可以调整时间地点", "Only a planned meeting can be moved."),
    ("请填写会议地点", "Give the meeting place."),
    ("会议当前状态不能执行此操作", "The meeting's status does not allow this."),
    ("会议已结束,不能再增加议程", "The meeting is over; no more items can be added."),
    ("该议题已在本次议程中", "The issue is already on this agenda."),
    ("只能把本小区的议题列入议程", "Only this compound's issues can go on its agenda."),
    ("议题处于“{stage|stage}”阶段,不能列入议程", "The issue is at “{stage}” and cannot go on the agenda."),
    ("已形成决议的议程项不能移除", "An item already decided cannot be removed."),
    ("已有表决记录的议程项不能移除", "An item with recorded votes cannot be removed."),
    ("会议开始后才能记录出席", "Attendance is taken once the meeting has started."),
    ("该成员不在本次会议名单中", "This member is not on this meeting's roll."),
    ("出席状态不正确", "Not a valid attendance status."),
    ("{who}委托出席,需要填写受托人", "{who} attends by proxy: name the proxy."),
    ("只有进行中的会议可以记录决议", "Decisions are recorded only while the meeting is in progress."),
    ("未达法定人数,不能形成决议;可记录为“暂缓/下次再议”",
     "No quorum: no decision can be made; record it as “Deferred”."),
    ("请选择处理结果", "Choose the outcome."), ("请填写决议内容", "Write the decision."),
    ("该议程项已形成决议,不能重复记录", "This item is already decided."),
    ("分工落实需要至少一项任务(责任主体、任务、期限)",
     "Assigning tasks needs at least one task (responsible seat, task, due date)."),
    ("任务内容不能为空", "Describe the task."),
    ("责任主体必须是本小区在用的协商主体", "The responsible seat must be one of this compound's active seats."),
    ("表决主体不属于本小区", "The voting seat is not one of this compound's."),
    ("表决只能是赞成、反对或弃权", "A vote is for, against or abstain."),
    ("上报需要填写请求事项", "Say what the escalation asks for."),
    ("请填写向居民公开的会议摘要", "Write the summary shown to residents."),
    # --- tasks
    ("该任务已取消,不能再更新进展", "The task was cancelled; its progress cannot change."),
    ("请填写进展说明(标记为“{status|task_status}”时写明做了什么)",
     "Write what was done (needed when marking it “{status}”)."),
    ("进展说明不能超过 1000 字", "The progress note may not exceed 1,000 characters."),
    ("完成日期({day})不能晚于今天", "The completion date ({day}) cannot be after today."),
    ("取消任务请使用“取消任务”,并写明理由", "To cancel a task use “Cancel task” and give the reason."),
    ("请写明理由(将在下次会议的议程中列出)", "Give the reason (it is listed on the next meeting's agenda)."),
    ("请选择新的期限", "Choose the new due date."),
    ("新期限({day})不能早于今天", "The new due date ({day}) cannot be before today."),
    ("新期限与原期限相同({day})", "The new due date is the same as before ({day})."),
    ("理由不能超过 {max} 字(现为 {n} 字)", "The reason may not exceed {max} characters (it has {n})."),
    ("该任务已{status|task_status},不能再取消或调整期限", "The task is {status}; it can no longer be cancelled or moved."),
    # --- escalation
    ("请选择上报到社区还是街道", "Choose whether to escalate to the community or the subdistrict."),
    ("该小区没有上级社区或街道,无法上报;请先在“小区与区域管理”中设置所属区域",
     "This compound has no community or subdistrict above it; set its area under Compounds and areas first."),
    ("该小区没有上级{level|level},可上报到:{offered}", "This compound has no {level} above it; it can escalate to: {offered}."),
    ("请填写答复内容", "Write the answer."), ("该上报事项已答复", "This escalation is already answered."),
    ("答复不能超过 {max} 字", "The answer may not exceed {max} characters."),
    ("请求事项不能超过 {max} 字", "The request may not exceed {max} characters."),
    ("答复后议题只能转入合力干事或公示监督", "After the answer the issue moves to acting or 公示 only."),
    ("转报需要写明说明(如社区已做的工作、需要街道协调的事项)",
     "Passing it up needs a note (what was done, what needs coordinating)."),
    ("转报说明不能超过 {max} 字", "The note may not exceed {max} characters."),
    ("{level|level}已是上报的最高层级,请直接答复", "The {level} is the highest level; answer it directly."),
    ("该上报事项已转报{area},请刷新后查看", "This escalation was passed up to {area}; reload to see it."),
    ("该议题已并入其他议题,上报已撤回,无需答复", "The issue was merged into another; the escalation was withdrawn."),
    # --- reports and accounts
    ("月份格式应为 YYYY-MM,如 2025-03", "Write the month as YYYY-MM, e.g. 2025-03."),
    ("不能生成未来月份的月报", "A report cannot be made for a future month."),
    ("请选择一个小区或一个区域", "Choose one compound or one area."),
    ("原密码不正确", "The current password is wrong."), ("密码需同时包含字母和数字", "The password needs letters and digits."),
    ("密码至少 {n} 位", "The password needs at least {n} characters."),
    ("新密码不能与原密码相同", "The new password must differ from the old one."),
    ("用户名“{name}”已被使用", "The user name “{name}” is taken."),
    ("用户名和姓名不能为空", "Give a user name and a display name."),
    # --- the 台账 import: a file refused as a whole
    ("文件过大(上限 5 MB)", "The file is too large (5 MB at most)."), ("文件是空的", "The file is empty."),
    ("文件不是有效的 Excel(.xlsx)文件", "The file is not a valid Excel (.xlsx) file."),
    ("文件解压后过大,疑似压缩炸弹,已拒绝", "The file unpacks to too much data (a zip bomb?) and was refused."),
    ("文件含有不安全的 XML 实体定义,已拒绝", "The file contains unsafe XML entity definitions and was refused."),
    ("不支持旧版 Excel(.xls)文件,请另存为 .xlsx 或 CSV 后再导入",
     "Old Excel (.xls) files are not supported; save it as .xlsx or CSV first."),
    ("文件不是有效的 CSV 文本文件", "The file is not a valid CSV text file."),
    ("无法识别文件编码,请另存为“CSV UTF-8”后再导入", "Unknown text encoding; save it as “CSV UTF-8” first."),
    ("CSV 格式错误(第 {row} 行附近)", "The CSV is malformed (near line {row})."),
    ("表头中「{column}」列出现了两次", "The column “{column}” appears twice in the header."),
    ("缺少必需的列:{columns}(第 1 行应为表头)", "Required columns are missing: {columns} (row 1 must be the header)."),
    ("行数过多(上限 {n} 行),请分批导入", "Too many rows ({n} at most); import it in parts."),
    # --- the 台账 import's row-by-row report (report_in): its lines, then what a row may be refused for
    ("检查通过:共 {n} 条议题可以导入。", "Checked: issues that can be imported: {n}."),
    ("检查通过:文件中的议题本小区都已有,没有需要导入的新议题。",
     "Checked: the compound already has every issue in the file; there is nothing new to import."),
    ("发现 {n} 处问题(涉及 {rows} 行),请修改后重新导入;本次未写入任何数据。",
     "Problems found: {n} (rows: {rows}). Correct them and import again; nothing was written."),
    ("已跳过 {n} 行:本小区已有相同议题(标题、提出日期、提出方相同),不重复导入。",
     "Rows skipped: {n}. The compound already has these issues (same title, date raised and raiser)."),
    ("第 {row} 行:已有 #{number},跳过", "Row {row}: already #{number}, skipped"),
    ("已忽略示例行:第 {rows} 行", "Example rows ignored: {rows}"),
    ("已导入 {n} 条议题。", "Issues imported: {n}."),
    ("第 {row} 行「{column}」:{problem|message}", "Row {row}, “{column}”: {problem}"),
    ("不能为空", "may not be empty"), ("不能超过 {n} 字", "may not exceed {n} characters"),
    ("未知类别“{value}”,可选:{choices}", "unknown category “{value}”; choose from: {choices}"),
    ("未知阶段“{value}”,可选:{choices}", "unknown stage “{value}”; choose from: {choices}"),
    ("未知渠道“{value}”,可选:{choices}", "unknown channel “{value}”; choose from: {choices}"),
    ("未知优先级“{value}”,可选:高、中、低", "unknown priority “{value}”; choose from: 高、中、低"),
    ("未知关闭原因“{value}”,可选:{choices}", "unknown reason for closing “{value}”; choose from: {choices}"),
    ("未知提出方“{value}”,应为本小区协商主体名称或 居民、巡访、热线{seats}",
     "unknown raiser “{value}”: one of the compound's seats, or 居民、巡访、热线{seats}"),
    ("日期“{value}”无效,请写成 YYYY-MM-DD,如 2024-03-12", "the date “{value}” is not valid; write YYYY-MM-DD, e.g. 2024-03-12"),
    ("日期 {day} 晚于今天", "the date {day} is after today"),
    ("办结日期早于提出日期", "the date resolved is before the date raised"),
    ("解决层级只能是 小区、社区、街道", "the level must be 小区、社区 or 街道"),
    ("阶段为“已办结”时必须填写解决层级(小区、社区、街道)", "a resolved issue needs its level (小区、社区、街道)"),
    ("阶段为“已关闭(未解决)”时必须填写关闭原因", "a closed issue needs its reason for closing"),
    ("“{value}”不是有效的户数,应为正整数", "“{value}” is not a number of households; write a positive whole number"),
    ("{n} 户超过本小区总户数 {cap}", "{n} households is more than the compound's {cap}"),
    ("{n} 户超过单条上限 {cap} 户(本小区未登记总户数,可在小区与区域管理中填写)",
     ("{n} households is more than {cap}, the limit for a row while the compound's household count is not "
      "set (set it under Compounds and areas)")),
    ("全部议题的反映户数合计 {n} 户,超过一次导入的上限 {max} 户,请把文件分成几份分别导入",
     "the households of all issues add up to {n}, more than {max} for one import; split the file"),
    ("全部议题的文字合计 {n} 字,超过一次导入的上限 {max} 字,请把文件分成几份分别导入",
     "the text of all issues adds up to {n} characters, more than {max} for one import; split the file"),
    ("文件中没有可导入的议题(表头下方没有数据行)", "The file holds no issue to import (no rows under the header)."),
    # --- correcting minutes (services/minutes_workflow.py)
    ("纪要已审定,不能直接修改;请用“更正纪要”并写明理由",
     "The minutes are approved and cannot be edited; use 'Amend the minutes' and give a reason."),
    ("会议尚未开始,没有可修改的决议", "The meeting has not started: there is no decision to correct."),
    ("该议程项尚未形成决议,请先记录决议", "This agenda item has no decision yet: record one first."),
    ("该决议已被他人修改,请刷新后再改", "Someone else changed this decision: reload, then correct it again."),
    ("纪要尚未审定,请直接修改草稿", "The minutes are not approved yet: correct the draft directly."),
    ("更正已审定的纪要,需要写明更正理由", "Amending approved minutes needs a reason."),
    ("更正理由不能超过 {n} 字", "The reason may be at most {n} characters."),
    ("内容没有变化,无需更正", "Nothing changed: there is nothing to amend."),
    ("讨论情况不能超过 {n} 字", "The discussion may be at most {n} characters."),
    ("决议不能超过 {n} 字", "The decision may be at most {n} characters."),
    ("请填写决议内容", "Please write the decision."),
    ("表决只能是赞成、反对或弃权", "A vote is for, against or abstain."),
    ("表决主体不属于本小区", "That seat is not one of this compound's."),
)


def _pattern(template: str) -> tuple[re.Pattern, list[tuple[str, str | None]]]:
    """The Chinese template as an anchored pattern, and its placeholders (name, vocabulary)."""
    fields, parts, at = [], [], 0
    for found in re.finditer(r"\{(\w+)(?:\|(\w+))?\}", template):
        parts.append(re.escape(template[at:found.start()]))
        parts.append(f"(?P<{found[1]}>.*?)")
        fields.append((found[1], found[2]))
        at = found.end()
    parts.append(re.escape(template[at:]))
    return re.compile("^" + "".join(parts) + "$", re.DOTALL), fields


@lru_cache(maxsize=1)
def _compiled() -> tuple:
    return tuple((*_pattern(zh), en) for zh, en in MESSAGES)


def _word(value: str, vocabulary: str | None) -> str:
    if vocabulary == "message":                     # a message inside a message (a report's row problem)
        return message_in(value, "en")
    return value if vocabulary is None else _VOCABULARIES[vocabulary].get(value, value)


def message_in(message: str, lang: str) -> str:
    """`message` (a service's, in Chinese) in `lang`; unchanged in Chinese or when not listed."""
    if lang != "en":
        return message
    for pattern, fields, english in _compiled():
        found = pattern.match(message)
        if found:
            return english.format(**{name: _word(found[name], vocabulary) for name, vocabulary in fields})
    return message


def report_in(report: str, lang: str) -> str:
    """A row-by-row report (the 台账 import's), line by line; a problem of the whole file stands as
    a sentence of its own."""
    lines = (message_in(line, lang) for line in report.splitlines())
    return "\n".join(line[:1].upper() + line[1:] for line in lines)
