"""三会一课 compliance: for each node of the rule set's kinds under a root and each period, what
was due against what was held and recorded — read from ActivityRollup (a few rows per node and
month), never by counting activities over a subtree.

States per rule × period (enums.ComplianceState): met (recorded ≥ due), unrecorded (held, record
not yet submitted), pending (open period), due_soon (open, deadline within
`activities.compliance.due_soon_days`), missed (period over, not held), future. Lights per node:
red if anything is missed, amber if anything is due soon or unrecorded, else green.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Sum

from dangqun.activities.enums import STATE_LIGHT, ComplianceState, Light
from dangqun.activities.models import ActivityRollup, ComplianceRule
from dangqun.activities.periods import Span, spans_within
from dangqun.core import rules
from dangqun.core.models import RuleValue
from dangqun.orgs.models import Organization

NODE_LIMIT = 2000
_ORDER = [Light.GREEN, Light.AMBER, Light.RED]


class RuleValues:
    """`core.rules.value` for many nodes at once: the rows of the keys are read once.

    Same reading as core.rules.value: rows in force on the date, the deepest tenant override on
    the node's path (when the rule allows it), else the global row, else the registered default.
    """

    def __init__(self, keys):
        self.defaults = rules.defaults()
        self.rows = defaultdict(list)
        for row in RuleValue.objects.filter(key__in=[k for k in keys if k]).order_by(
            "-effective_from", "-id"
        ):
            self.rows[row.key].append(row)

    def value(self, key: str, fallback, *, on: date, org_path: str):
        default = self.defaults.get(key)
        if default is None:
            return fallback
        best = None
        for row in self.rows.get(key, ()):
            if row.effective_from > on:
                continue
            if row.org_path and not (default.overridable and org_path.startswith(row.org_path)):
                continue
            if best is None or len(row.org_path) > len(best.org_path):
                best = row
        return best.value if best is not None else default.value


@dataclass
class Cell:
    span: Span
    required: int
    held: int
    recorded: int
    state: str

    @property
    def light(self) -> str:
        return STATE_LIGHT[self.state]

    @property
    def state_label(self) -> str:
        return str(ComplianceState(self.state).label)


@dataclass
class RuleStatus:
    rule: ComplianceRule
    cells: list[Cell]

    @property
    def light(self) -> str:
        return worst(c.light for c in self.cells)

    @property
    def held(self) -> int:
        return sum(c.held for c in self.cells)

    @property
    def required(self) -> int:
        return sum(c.required for c in self.cells if c.state != ComplianceState.FUTURE)


@dataclass
class NodeStatus:
    organization: Organization
    statuses: list[RuleStatus | None] = field(default_factory=list)  # one per rule (None: n/a)

    @property
    def light(self) -> str:
        return worst(s.light for s in self.statuses if s is not None)

    @property
    def missed(self) -> int:
        return sum(1 for s in self.statuses if s for c in s.cells if c.state == ComplianceState.MISSED)


@dataclass
class Report:
    root: Organization
    span: Span
    rules: list[ComplianceRule]
    nodes: list[NodeStatus]
    truncated: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = {Light.GREEN: 0, Light.AMBER: 0, Light.RED: 0}
        for node in self.nodes:
            counts[node.light] += 1
        return counts


def worst(lights) -> str:
    level = 0
    for light in lights:
        level = max(level, _ORDER.index(light))
    return _ORDER[level]


def _state(span: Span, required: int, held: int, recorded: int, today: date, due_soon_days: int) -> str:
    if today < span.start:
        return ComplianceState.FUTURE
    if required <= 0 or recorded >= required:
        return ComplianceState.MET
    if held >= required:
        return ComplianceState.UNRECORDED
    if today >= span.end:
        return ComplianceState.MISSED
    if (span.end - today).days <= due_soon_days:
        return ComplianceState.DUE_SOON
    return ComplianceState.PENDING


def active_rules() -> list[ComplianceRule]:
    return list(
        ComplianceRule.objects.filter(is_active=True)
        .select_related("activity_type")
        .order_by("sort_order", "code")
    )


def compliance_report(root: Organization, span: Span, *, today: date, nodes=None) -> Report:
    """One row per node of the rules' kinds under `root` (or the given `nodes`), for `span`."""
    rule_list = active_rules()
    kinds = sorted({kind for rule in rule_list for kind in rule.org_kinds})
    if nodes is None:
        queryset = (
            Organization.objects.filter(path__under=root.path, kind_id__in=kinds, dissolved_at__isnull=True)
            .select_related("kind", "rollup")
            .order_by("path")
        )
        nodes = list(queryset[: NODE_LIMIT + 1])
    truncated = len(nodes) > NODE_LIMIT
    nodes = nodes[:NODE_LIMIT]
    spans_by_rule = {rule.code: spans_within(rule.period, span) for rule in rule_list}
    first = min((s.start for spans in spans_by_rule.values() for s in spans), default=span.start)
    last = max((s.end for spans in spans_by_rule.values() for s in spans), default=span.end)
    counts: dict[tuple[int, str, date], tuple[int, int]] = {}
    rows = (
        ActivityRollup.objects.filter(
            organization__path__under=root.path,
            month__gte=first,
            month__lt=last,
            activity_type_id__in=[r.activity_type_id for r in rule_list],
        )
        .values("organization_id", "activity_type_id", "month")
        .annotate(held=Sum("held_total"), recorded=Sum("recorded_total"))
    )
    for row in rows:
        counts[(row["organization_id"], row["activity_type_id"], row["month"])] = (
            row["held"],
            row["recorded"],
        )
    values = RuleValues([r.rule_key for r in rule_list] + ["activities.compliance.due_soon_days"])
    report_nodes = []
    for node in nodes:
        members = getattr(getattr(node, "rollup", None), "members_total", 0)
        status = NodeStatus(node)
        for rule in rule_list:
            if node.kind_id not in rule.org_kinds or (rule.min_members and members < rule.min_members):
                status.statuses.append(None)
                continue
            cells = []
            for sub in spans_by_rule[rule.code]:
                required = values.value(rule.rule_key, rule.default_count, on=sub.start, org_path=node.path)
                due_soon = values.value(
                    "activities.compliance.due_soon_days", 10, on=today, org_path=node.path
                )
                held = recorded = 0
                for month in sub.months:
                    h, r = counts.get((node.pk, rule.activity_type_id, month), (0, 0))
                    held, recorded = held + h, recorded + r
                cells.append(
                    Cell(
                        sub, required, held, recorded, _state(sub, required, held, recorded, today, due_soon)
                    )
                )
            status.statuses.append(RuleStatus(rule, cells))
        report_nodes.append(status)
    return Report(root, span, rule_list, report_nodes, truncated)


def node_report(node: Organization, span: Span, *, today: date) -> NodeStatus:
    node = Organization.objects.select_related("kind", "rollup").get(pk=node.pk)
    return compliance_report(node, span, today=today, nodes=[node]).nodes[0]


def due_reminders(root: Organization, *, today: date) -> list[tuple[Organization, ComplianceRule, Cell]]:
    """Open periods ending within `activities.compliance.remind_days` that are not yet held."""
    from dangqun.activities.periods import span_of

    found = []
    values = RuleValues(["activities.compliance.remind_days"])
    for period in sorted({rule.period for rule in active_rules()}):
        report = compliance_report(root, span_of(period, today), today=today)
        for node_status in report.nodes:
            remind = values.value(
                "activities.compliance.remind_days", 7, on=today, org_path=node_status.organization.path
            )
            for status in node_status.statuses:
                if status is None or status.rule.period != period:
                    continue
                for cell in status.cells:
                    near = timedelta(days=0) <= (cell.span.end - today) <= timedelta(days=remind)
                    if near and cell.held < cell.required and cell.span.start <= today:
                        found.append((node_status.organization, status.rule, cell))
    return found
