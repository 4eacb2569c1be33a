"""Service desk and wish wall vocabularies, and their allowed transitions, as data (RULES.md §8).

A leaf module: imports nothing of the app. Services check every state change against the tables
here; the request states' labels and public texts are rows (models.RequestState) that override the
defaults below, FixMyStreet-style: each state is typed open, fixed or closed, and Open311 sees only
open / closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class StateKind(models.TextChoices):
    OPEN = "open", _("办理中")
    FIXED = "fixed", _("已办结")
    CLOSED = "closed", _("已关闭")


OPEN311_STATUS = {StateKind.OPEN: "open", StateKind.FIXED: "closed", StateKind.CLOSED: "closed"}


class State(models.TextChoices):
    """The built-in internal states of a service request (codes are stable)."""

    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    ASSIGNED = "assigned", _("已分派")
    IN_PROGRESS = "in_progress", _("办理中")
    AWAITING_INFO = "awaiting_info", _("待补充材料")
    REFERRED = "referred", _("已转办")
    RESOLVED = "resolved", _("已办结")
    CLOSED = "closed", _("已关闭")
    REJECTED = "rejected", _("不予受理")
    CANCELLED = "cancelled", _("已撤回")


@dataclass(frozen=True)
class StateDefault:
    code: str
    kind: str
    name: str  # internal label (staff)
    public_name: str  # what the requester and Open311 clients read
    public_description: str = ""


# Citizen-facing labels kept apart from internal states (the FixMyStreet lesson, RULES.md §8.2).
DEFAULT_STATES: tuple[StateDefault, ...] = (
    StateDefault(State.SUBMITTED, StateKind.OPEN, _("待受理"), _("已提交，等待受理"),
                 _("工作人员将尽快受理您的诉求。")),
    StateDefault(State.ACCEPTED, StateKind.OPEN, _("已受理"), _("已受理"), _("您的诉求已受理，正在安排专人办理。")),
    StateDefault(State.ASSIGNED, StateKind.OPEN, _("已分派"), _("办理中"), _("已安排专人办理。")),
    StateDefault(State.IN_PROGRESS, StateKind.OPEN, _("办理中"), _("办理中"), _("正在办理，请留意预计办结时间。")),
    StateDefault(State.AWAITING_INFO, StateKind.OPEN, _("待补充材料"), _("请补充材料"),
                 _("办理需要您补充材料，请查看办理进展中的说明。")),
    StateDefault(State.REFERRED, StateKind.OPEN, _("已转办"), _("已转交相关部门办理"), _("已转交相关部门，由其继续办理。")),
    StateDefault(State.RESOLVED, StateKind.FIXED, _("已办结"), _("已办结，请评价"), _("已办结，欢迎您对办理结果作出评价。")),
    StateDefault(State.CLOSED, StateKind.CLOSED, _("已关闭"), _("已办结"), ""),
    StateDefault(State.REJECTED, StateKind.CLOSED, _("不予受理"), _("不予受理"), _("原因见办理进展中的说明。")),
    StateDefault(State.CANCELLED, StateKind.CLOSED, _("已撤回"), _("已撤回"), ""),
)  # fmt: skip

OPEN_STATES = frozenset(s.code for s in DEFAULT_STATES if s.kind == StateKind.OPEN)


class Actor(models.TextChoices):
    STAFF = "staff", _("工作人员")
    REQUESTER = "requester", _("申请人")
    SYSTEM = "system", _("系统")


class Note(models.TextChoices):
    NONE = "", _("无需说明")
    PUBLIC = "public", _("须填写公开说明")


@dataclass(frozen=True)
class Transition:
    """`targets` maps each allowed source state to the state the action leads to. With
    `choose_kind` the caller may name another configured state of that kind as the target."""

    targets: dict[str, str]
    by: frozenset[str]
    note: str = Note.NONE
    choose_kind: str = ""
    label: str = ""


_STAFF = frozenset({Actor.STAFF})
_REQUESTER = frozenset({Actor.REQUESTER})
_EITHER = frozenset({Actor.STAFF, Actor.REQUESTER})
_ACTIVE = (
    State.SUBMITTED,
    State.ACCEPTED,
    State.ASSIGNED,
    State.IN_PROGRESS,
    State.AWAITING_INFO,
    State.REFERRED,
)

# RULES.md §8.2 "our mapping": submit → accept | reject → assign → in progress (expected set) →
# resolved (notes required) → rated → closed; only the requester or staff reopen.
TRANSITIONS: dict[str, Transition] = {
    "accept": Transition({State.SUBMITTED: State.ACCEPTED, State.REFERRED: State.ACCEPTED}, _STAFF,
                         label=_("受理")),
    "reject": Transition({State.SUBMITTED: State.REJECTED, State.REFERRED: State.REJECTED}, _STAFF, Note.PUBLIC,
                         label=_("不予受理")),
    "refer": Transition({s: State.REFERRED for s in _ACTIVE}, _STAFF, label=_("转办")),
    "assign": Transition(
        {State.ACCEPTED: State.ASSIGNED, State.ASSIGNED: State.ASSIGNED, State.IN_PROGRESS: State.IN_PROGRESS,
         State.AWAITING_INFO: State.AWAITING_INFO},
        _STAFF, label=_("分派"),
    ),
    "start": Transition({State.ASSIGNED: State.IN_PROGRESS, State.ACCEPTED: State.IN_PROGRESS}, _STAFF,
                        label=_("开始办理")),
    "request_info": Transition(
        {State.ACCEPTED: State.AWAITING_INFO, State.ASSIGNED: State.AWAITING_INFO,
         State.IN_PROGRESS: State.AWAITING_INFO},
        _STAFF, Note.PUBLIC, label=_("请申请人补充材料"),
    ),
    "supply_info": Transition({State.AWAITING_INFO: State.IN_PROGRESS}, _REQUESTER, label=_("补充材料")),
    "resolve": Transition(
        {State.ASSIGNED: State.RESOLVED, State.IN_PROGRESS: State.RESOLVED, State.AWAITING_INFO: State.RESOLVED},
        _STAFF, Note.PUBLIC, label=_("办结"),
    ),
    "rate": Transition({State.RESOLVED: State.CLOSED, State.CLOSED: State.CLOSED}, _REQUESTER, label=_("评价")),
    "close": Transition({State.RESOLVED: State.CLOSED, **{s: State.CLOSED for s in _ACTIVE}}, _STAFF,
                        choose_kind=StateKind.CLOSED, label=_("关闭")),
    "reopen": Transition({State.RESOLVED: State.IN_PROGRESS, State.CLOSED: State.IN_PROGRESS}, _EITHER, Note.PUBLIC,
                         label=_("重新办理")),
    "cancel": Transition({s: State.CANCELLED for s in _ACTIVE}, _EITHER, label=_("撤回")),
}  # fmt: skip

# Actions that are not state changes but still land in the request's history.
NOTE_ACTIONS = frozenset({"note", "flag_urgent", "unflag_urgent", "set_expected", "escalate", "submit"})


class Channel(models.TextChoices):
    KIOSK = "kiosk", _("办事通大屏")
    PHONE = "phone", _("手机扫码")
    WEB = "web", _("网页")
    STAFF = "staff", _("工作人员代录")
    OPEN311 = "open311", _("Open311 客户端")


class PromiseUnit(models.TextChoices):
    HOURS = "hours", _("小时")
    WORKING_DAYS = "working_days", _("个工作日")


class TargetGroup(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    INDIVIDUAL = "individual", _("个人")
    PARTY_ORG = "party_org", _("党组织")
    MEMBER = "member", _("党员")
    MASSES = "masses", _("群众")
    SOCIAL_ORG = "social_org", _("社会组织")


class Score(models.IntegerChoices):
    """好差评 five grades (国办发〔2019〕51号)."""

    VERY_DISSATISFIED = 1, _("非常不满意")
    DISSATISFIED = 2, _("不满意")
    FAIR = 3, _("基本满意")
    SATISFIED = 4, _("满意")
    VERY_SATISFIED = 5, _("非常满意")


class FollowUpState(models.TextChoices):
    OPEN = "open", _("待整改")
    ANSWERED = "answered", _("已整改答复")


# --- 微心愿 (RULES.md §8.1) -------------------------------------------------------------------


class WishState(models.IntegerChoices):
    PENDING = 0, _("待审批")
    OPEN = 1, _("待认领")
    CLAIMED = 2, _("已认领")
    DONE = 3, _("已完成")
    CANCELLED = 4, _("已取消")
    RATED = 5, _("已评价")
    REJECTED = -1, _("未通过")


class WishKind(models.TextChoices):
    MATERIAL = "material", _("物质")
    SPIRITUAL = "spiritual", _("精神")


class WisherType(models.TextChoices):
    INDIVIDUAL = "individual", _("个人")
    GROUP = "group", _("团体")
    RESIDENT = "resident", _("群众")


class WishActor(models.TextChoices):
    STAFF = "staff", _("社区管理员")
    WISHER = "wisher", _("许愿人")
    CLAIMER = "claimer", _("认领党员")
    MEMBER = "member", _("已核验党员")


@dataclass(frozen=True)
class WishTransition:
    sources: frozenset[int]
    target: int
    by: frozenset[str] = field(default_factory=frozenset)
    reason_required: bool = False


WISH_TRANSITIONS: dict[str, WishTransition] = {
    "approve": WishTransition(frozenset({WishState.PENDING}), WishState.OPEN, frozenset({WishActor.STAFF})),
    "reject": WishTransition(frozenset({WishState.PENDING}), WishState.REJECTED, frozenset({WishActor.STAFF}), True),
    "claim": WishTransition(frozenset({WishState.OPEN}), WishState.CLAIMED, frozenset({WishActor.MEMBER})),
    "release": WishTransition(frozenset({WishState.CLAIMED}), WishState.OPEN,
                              frozenset({WishActor.CLAIMER, WishActor.STAFF})),
    "fulfil": WishTransition(frozenset({WishState.CLAIMED}), WishState.DONE,
                             frozenset({WishActor.CLAIMER, WishActor.STAFF})),
    "confirm": WishTransition(frozenset({WishState.DONE}), WishState.RATED,
                              frozenset({WishActor.WISHER, WishActor.STAFF})),
    "cancel": WishTransition(frozenset({WishState.PENDING, WishState.OPEN, WishState.CLAIMED}), WishState.CANCELLED,
                             frozenset({WishActor.WISHER, WishActor.STAFF})),
}  # fmt: skip

# The public wall: states 1–3 as the source platform shows, plus 5 so that the thanks closes it
# in front of everyone (JOURNEYS.md 4) [D].
WALL_STATES = (WishState.OPEN, WishState.CLAIMED, WishState.DONE, WishState.RATED)
REALISED_STATES = (WishState.DONE, WishState.RATED)
CLAIMED_STATES = (WishState.CLAIMED, WishState.DONE, WishState.RATED)

# Labels of every line a request's history can hold.
EVENT_LABELS = {
    **{action: rule.label for action, rule in TRANSITIONS.items()},
    "submit": _("提交"),
    "note": _("办理说明"),
    "flag_urgent": _("标记急难愁"),
    "unflag_urgent": _("取消急难愁"),
    "set_expected": _("调整预计办结时间"),
    "escalate": _("超时上报"),
    "expected": _("调整预计办结时间"),
}

WISH_EVENT_LABELS = {
    "submit": _("提交心愿"),
    "approve": _("审核通过"),
    "reject": _("审核未通过"),
    "claim": _("党员认领"),
    "release": _("取消认领"),
    "fulfil": _("心愿实现"),
    "confirm": _("确认致谢"),
    "cancel": _("取消心愿"),
}
