"""Roster import (花名册导入): analyse every row first, then write all of it or nothing.

The analysis is the dry run; the commit analyses the stored file again (so what is written is
exactly what was checked now) and writes only when no row has a problem. Rows are upserted by
ID number. Writes are batched: one INSERT per batch of people, keys and profiles, one UPDATE
per ancestor for the rollups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.core.errors import DomainError
from dangqun.core.spreadsheets import SpreadsheetError, column_letter, open_table
from dangqun.orgs.models import Organization
from dangqun.people.enums import Category
from dangqun.people.fields import FIELD_LABELS, MEMBER_FIELDS, PERSON_FIELDS, clean_person_input
from dangqun.people.models import Person

REQUIRED_HEADERS = ["姓名", "身份证号", "所属组织"]
HEADER_FIELDS: dict[str, str] = {
    "姓名": "name",
    "身份证号": "id_number",
    "公民身份号码": "id_number",
    "性别": "gender",
    "出生日期": "birth_date",
    "手机号": "mobile",
    "手机号码": "mobile",
    "联系电话": "mobile",
    "民族": "ethnicity",
    "工作单位": "employer",
    "居住地址": "residence",
    "现居住地": "residence",
    "所属组织": "organization",
    "人员类别": "category",
    "党员状态": "status",
    "入党日期": "joined_on",
    "预备期满日期": "probation_ends_on",
    "转正日期": "confirmed_on",
    "干部级别": "cadre_level",
    "党内职务": "post",
    "流动党员": "is_floating",
}
TEMPLATE_HEADERS = [
    "姓名", "身份证号", "所属组织", "人员类别", "手机号", "民族", "工作单位", "居住地址",
    "党员状态", "入党日期", "预备期满日期", "转正日期", "干部级别", "党内职务", "流动党员",
]  # fmt: skip
MAX_REPORTED_ERRORS = 2000
MATCH_BATCH = 2000
_ROW_MESSAGE = gettext_lazy("第 {row} 行 {column} 列（{header}）：{message}")
_ROW_MESSAGE_NO_COLUMN = gettext_lazy("第 {row} 行：{message}")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    header: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return str(
                format_lazy(
                    _ROW_MESSAGE, row=self.row, column=self.column, header=self.header, message=self.message
                )
            )
        return str(format_lazy(_ROW_MESSAGE_NO_COLUMN, row=self.row, message=self.message))


@dataclass(slots=True)
class PlannedRow:
    row: int
    raw: dict[str, Any]
    cleaned: dict[str, Any]
    organization: Organization
    existing_id: int | None = None
    existing: dict[str, Any] | None = None


@dataclass
class ImportPlan:
    """The dry run's outcome. `errors` empty means the commit will write every row."""

    rows_total: int = 0
    to_create: list[PlannedRow] = field(default_factory=list)
    to_update: list[PlannedRow] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_rows: set[int] = field(default_factory=set)
    headers: list[str] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows_total > 0

    def add_error(self, error: RowError) -> None:
        self.error_rows.add(error.row)
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)


def analyse(fileobj: IO[bytes], *, filename: str, actor, today: date | None = None) -> ImportPlan:
    """Read and check every row. Raises DomainError when the file itself cannot be used."""
    today = today or timezone.localdate()
    try:
        table = open_table(
            fileobj,
            filename=filename,
            max_bytes=settings.ROSTER_UPLOAD_MAX_BYTES,
            required_headers=REQUIRED_HEADERS,
        )
    except SpreadsheetError as exc:
        raise DomainError(exc.code, str(exc.message), field="file") from exc

    plan = ImportPlan(headers=list(table.headers))
    columns = {}
    for index, header in table.columns:
        name = HEADER_FIELDS.get(header)
        if name is None:
            plan.ignored_headers.append(header)
        elif name not in columns:
            columns[name] = (header, column_letter(index))
    organizations = _organizations_in_scope(actor)
    edit_paths = permissions.scope_paths(actor, Perm.EDIT_PEOPLE)
    seen_ids: dict[str, int] = {}
    pending: list[PlannedRow] = []

    for sheet_row in table.rows():
        plan.rows_total += 1
        for problem in sheet_row.problems:
            plan.add_error(RowError(problem.row, problem.column, problem.header, _strip_prefix(problem)))
        raw = {name: sheet_row.cells.get(header) for name, (header, _col) in columns.items()}
        cleaned, field_errors = clean_person_input(raw, today=today)
        problem_fields = {HEADER_FIELDS.get(p.header) for p in sheet_row.problems}
        for error in field_errors:
            if error.field in problem_fields:
                continue  # the cell problem (merged, formula) already explains it
            header, letter = columns.get(error.field, (str(FIELD_LABELS.get(error.field, error.field)), ""))
            plan.add_error(RowError(sheet_row.number, letter, header, error.message))

        organization = _resolve_organization(
            raw.get("organization"), organizations, cleaned, columns, sheet_row.number, plan
        )
        number = cleaned.get("id_number")
        if number:
            first = seen_ids.get(number)
            if first is not None:
                header, letter = columns["id_number"]
                plan.add_error(
                    RowError(sheet_row.number, letter, header, _("与第 %(r)d 行身份证号重复") % {"r": first})
                )
            else:
                seen_ids[number] = sheet_row.number
        if sheet_row.number not in plan.error_rows and organization is not None:
            pending.append(PlannedRow(sheet_row.number, raw, cleaned, organization))
        if len(pending) >= MATCH_BATCH:
            _match_existing(pending, plan, edit_paths, columns, today)
            pending = []
    _match_existing(pending, plan, edit_paths, columns, today)

    if plan.rows_total == 0:
        raise DomainError("empty_roster", _("表格中没有数据行。"), field="file")
    if plan.errors:
        plan.to_create.clear()
        plan.to_update.clear()
    return plan


def _strip_prefix(problem) -> str:
    """The reader's message already names row and column; keep only the reason."""
    text = str(problem.message)
    return text.split("：", 1)[1] if "：" in text else text


def _organizations_in_scope(actor) -> dict[str, list[Organization]]:
    by_name: dict[str, list[Organization]] = {}
    queryset = Organization.objects.filter(
        permissions.scope_q(actor, Perm.IMPORT_PEOPLE, "path"), dissolved_at__isnull=True
    ).select_related("kind")
    for organization in queryset:
        by_name.setdefault(organization.name, []).append(organization)
    return by_name


def _resolve_organization(value, organizations, cleaned, columns, row, plan) -> Organization | None:
    header, letter = columns["organization"]
    name = str(value or "").strip()
    if not name:
        plan.add_error(RowError(row, letter, header, _("所属组织不能为空")))
        return None
    candidates = organizations.get(name, [])
    if not candidates:
        plan.add_error(
            RowError(row, letter, header, _("找不到组织“%(n)s”（须为您管辖范围内组织的全称）") % {"n": name})
        )
        return None
    if len(candidates) > 1:
        plan.add_error(
            RowError(row, letter, header, _("组织名称“%(n)s”不唯一，请联系管理员区分名称") % {"n": name})
        )
        return None
    organization = candidates[0]
    if cleaned.get("category") == Category.MEMBER and not organization.kind.holds_members:
        plan.add_error(
            RowError(
                row,
                letter,
                header,
                _("“%(n)s”（%(k)s）不能直接编入党员，请填写党支部或党小组")
                % {"n": name, "k": organization.kind.name},
            )
        )
        return None
    return organization


_SNAPSHOT_FIELDS = (
    "id", "org_path", "organization_id", *PERSON_FIELDS,
    *(f"party_profile__{f}" for f in MEMBER_FIELDS),
)  # fmt: skip


def _match_existing(batch: list[PlannedRow], plan: ImportPlan, edit_paths, columns, today) -> None:
    """Split a batch into creates and updates; updates only inside the actor's edit scope.

    For a person already registered, a blank or missing cell keeps the stored value: a roster
    without a 人员类别 column must not turn members into masses. Rows leave here without their
    raw cells, so a 100,000-row plan stays small.
    """
    by_number = {r.cleaned["id_number"]: r for r in batch}
    existing_rows = Person.objects.filter(id_number__in=list(by_number)).values(*_SNAPSHOT_FIELDS)
    for existing in existing_rows:
        planned = by_number[existing["id_number"]]
        if not any(existing["org_path"].startswith(p) for p in edit_paths):
            header, letter = columns["id_number"]
            plan.add_error(
                RowError(
                    planned.row,
                    letter,
                    header,
                    _("该身份证号已登记在您无权管理的组织，请联系上级组织办理转接"),
                )
            )
            planned.existing_id = -1
            continue
        planned.existing_id = existing["id"]
        planned.existing = existing
        _merge_with_existing(planned, plan, columns, today)
    for planned in batch:
        planned.raw = None
        if planned.existing_id is None:
            plan.to_create.append(planned)
        elif planned.existing_id > 0:
            if _same(planned):
                plan.unchanged += 1
            else:
                plan.to_update.append(planned)


def _merge_with_existing(planned: PlannedRow, plan: ImportPlan, columns, today) -> None:
    existing = planned.existing
    was_member = existing["party_profile__status"] is not None
    merged: dict[str, Any] = {f: existing[f] for f in PERSON_FIELDS}
    merged["category"] = Category.MEMBER if was_member else Category.MASSES
    if was_member:
        merged.update({f: existing[f"party_profile__{f}"] for f in MEMBER_FIELDS})
    merged.update({k: v for k, v in planned.raw.items() if v not in (None, "")})
    cleaned, errors = clean_person_input(merged, today=today)
    for error in errors:
        header, letter = columns.get(error.field, (str(FIELD_LABELS.get(error.field, error.field)), ""))
        plan.add_error(RowError(planned.row, letter, header, error.message))
    planned.cleaned = cleaned


def _same(planned: PlannedRow) -> bool:
    existing, cleaned = planned.existing, planned.cleaned
    if existing["organization_id"] != planned.organization.pk:
        return False
    if any(existing[f] != cleaned[f] for f in PERSON_FIELDS):
        return False
    was_member = existing["party_profile__status"] is not None
    if was_member != (cleaned["category"] == Category.MEMBER):
        return False
    return not was_member or all(existing[f"party_profile__{f}"] == cleaned[f] for f in MEMBER_FIELDS)


def commit(plan: ImportPlan, *, actor, filename: str) -> dict[str, int]:
    """Write the plan in one transaction. Refuses a plan with any error: all or nothing."""
    from dangqun.people.roster_writer import write_plan

    if not plan.ok:
        raise DomainError(
            "roster_has_errors", _("表格仍有 %(n)d 处错误，未导入任何数据。") % {"n": len(plan.errors)}
        )
    return write_plan(plan, actor=actor, filename=filename)
