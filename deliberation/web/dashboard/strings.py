STRINGS = {
    "dashboard.title": ("概览 · {compound}", "Overview · {compound}"),
    "dashboard.none": ("还没有召开过会议。", "No meetings held yet."),
    "dashboard.metric.issues": ("议题总数", "Issues"),
    "dashboard.metric.open": ("办理中", "Open"),
    "dashboard.metric.resolved": ("已办结", "Resolved"),
    "dashboard.metric.closed": ("已关闭(未解决)", "Closed, not fixed"),
    "dashboard.metric.merged": ("合并(重复)", "Merged duplicates"),
    "dashboard.metric.meetings": ("已召开会议", "Meetings held"),
    "dashboard.rates.title": ("三率", "Three rates"),
    "dashboard.rates.response": ("响应率", "Response rate"),
    "dashboard.rates.resolution": ("解决率", "Resolution rate"),
    "dashboard.rates.satisfaction": ("满意率", "Satisfaction"),
    "dashboard.rates.period": (
        "统计范围:全部历史(同本页其他数字)。响应率:该期间提出的居民反映中,在本小区响应时限内受理、合并或答复的比例"
        "(仍在时限内未响应的不计入);解决率:该期间办结或关闭的议题中已办结的比例(重复议题不计入);"
        "满意率:该期间凭议事码的住户评价,满意与基本满意按部署设置的权重计分。“—”表示暂无数据。",
        "Period: all history (like the rest of this page). Response rate: residents' concerns raised in the period "
        "accepted, merged or answered within the compound's limit (those still inside the limit and unanswered "
        "are not counted); resolution rate: issues ended in the period that were resolved (duplicates apart); "
        "satisfaction: households' ratings (with a household code) given in the period, 满意 and 基本满意 "
        "weighted as the deployment sets. “—” means no data yet."),
    "dashboard.progress.title": ("历次会议后的未办结问题", "Open problems after each meeting"),
    "dashboard.progress.raised": ("累计提出", "Raised so far"),
    "dashboard.progress.open": ("尚未办结", "Still open"),
    "dashboard.stage.title": ("各阶段议题数", "Issues by stage"),
    "dashboard.category.title": ("各类别议题", "Issues by category"),
    "dashboard.state.open": ("办理中", "Open"),
    "dashboard.state.done": ("已办结/关闭", "Resolved or closed"),
    "dashboard.raiser.title": ("议题提出方", "Who raised the issues"),
    "dashboard.raiser.resident": ("居民", "Residents"),
    "dashboard.raiser.patrol": ("巡访", "Patrol visits"),
    "dashboard.raiser.hotline": ("热线", "Hotline"),
    "dashboard.raiser.seat": ("协商主体", "A seat"),
    "dashboard.days.title": ("办结用时(从提出到办结)", "Days from raised to resolved"),
    "dashboard.days.none": ("还没有办结的议题。", "No resolved issues yet."),
    "dashboard.attendance.title": ("各主体出席情况(按会议)", "Attendance by seat and meeting"),
    "dashboard.attendance.hint": ("颜色越深出席越齐:1 为该主体成员全部出席(含委托),0 为无人出席。",
                                  "Darker is fuller: 1 means every member of the seat attended "
                                  "(or sent a proxy), 0 none."),
    "dashboard.axis.meeting": ("会议(第N次)", "Meeting no."),
    "dashboard.axis.issues": ("议题数", "Issues"),
    "dashboard.axis.day": ("会议日期", "Date"),
    "dashboard.axis.stage": ("阶段", "Stage"),
    "dashboard.axis.category": ("类别", "Category"),
    "dashboard.axis.raiser": ("提出方", "Raised by"),
    "dashboard.axis.days": ("天数", "Days"),
    "dashboard.axis.level": ("解决层级", "Settled at"),
    "dashboard.axis.seat": ("协商主体", "Seat"),
    "dashboard.axis.present": ("出席比例", "Present"),
}
