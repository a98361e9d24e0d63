"""Our defaults where the reports are silent (DOMAIN.md). Every one is editable per compound."""

# The "1" and the eight kinds of consultative parties (八类协商主体).
DEFAULT_SEATS: tuple[tuple[str, str], ...] = (
    ("party", "党支部"),
    ("owners", "业主委员会"),
    ("property", "物业服务企业"),
    ("residents_committee", "社区居委会/工作站"),
    ("resident_group", "居民小组/楼栋长"),
    ("police", "社区警务室"),
    ("deputies", "人大代表/政协委员联络站"),
    ("representatives", "党员及居民代表"),
    ("cobuilding", "驻区单位/社会组织/志愿者"),
)

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "停车", "高空抛物", "宠物/不文明养宠", "垃圾分类", "消防", "违建", "电梯/加装电梯",
    "供电(变压器/强弱电)", "环境绿化", "物业服务", "噪音", "治安",
)

# Days an issue may stay in a stage before it counts as overdue.
DEFAULT_STAGE_DAYS: dict[str, int] = {
    "collected": 14, "deliberating": 30, "acting": 30, "escalated": 30, "publicizing": 7,
}

DEFAULT_QUORUM = {"required": ("party",), "min_seats": 6}   # 党支部 + at least 5 of the 8
DEFAULT_OBJECTION_WINDOW_DAYS = 7
DEFAULT_OBJECTION_THRESHOLD = 3

RAISED_BY_KINDS = {"seat": "协商主体", "resident": "居民", "patrol": "巡访", "hotline": "热线"}
CHANNELS = {
    "visit": "巡访问事", "resident_report": "居民反映", "sunday_duty": "党员周日轮值",
    "meeting": "会上提出", "hotline": "热线", "board": "公示栏/线上",
}
PRIORITIES = {"high": "高", "normal": "中", "low": "低"}
ATTENDANCE = {"present": "出席", "absent": "缺席", "excused": "请假", "proxy": "委托出席"}
MEETING_STATUSES = {
    "planned": "计划中", "in_progress": "进行中", "held": "已召开",
    "minutes_approved": "纪要已审定", "published": "已公开",
}
OUTCOMES = {"settled": "会上解决", "actions": "分工落实", "deferred": "暂缓/下次再议", "escalated": "上报"}
VOTES = {"for": "赞成", "against": "反对", "abstain": "弃权"}
ACTION_STATUSES = {"open": "待办", "in_progress": "进行中", "done": "已完成", "cancelled": "已取消"}
FEEDBACK = {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"}
