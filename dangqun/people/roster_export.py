"""Roster export: what the viewer may see, masked unless view_pii, formulas neutralized."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dangqun.core.spreadsheets import write_csv, write_xlsx
from dangqun.people import selectors
from dangqun.people.models import Person

EXPORT_HEADERS = [
    "姓名", "性别", "出生日期", "身份证号", "手机号", "民族", "工作单位", "居住地址", "所属组织",
    "人员类别", "党员状态", "入党日期", "预备期满日期", "转正日期", "干部级别", "党内职务", "流动党员",
]  # fmt: skip
EXPORT_LIMIT = 200_000


def export_rows(people: QuerySet[Person], policy: selectors.PiiPolicy):
    for person in people.iterator(chunk_size=2000):
        profile = getattr(person, "party_profile", None)
        yield [
            person.name,
            person.get_gender_display(),
            person.birth_date,
            policy.id_number(person),
            policy.mobile(person),
            person.ethnicity,
            person.employer,
            person.residence,
            person.organization.name,
            _("党员") if profile else _("群众"),
            profile.get_status_display() if profile else "",
            profile.joined_on if profile else None,
            profile.probation_ends_on if profile else None,
            profile.confirmed_on if profile else None,
            profile.get_cadre_level_display() if profile and profile.cadre_level else "",
            profile.post if profile else "",
            (_("是") if profile.is_floating else _("否")) if profile else "",
        ]


def export_roster(user, people: QuerySet[Person], *, fmt: str) -> tuple[bytes, int]:
    """Bytes of the file and the number of rows. `people` must come from people_visible_to."""
    people = people.order_by("org_path", "name", "id")[:EXPORT_LIMIT]
    policy = selectors.PiiPolicy.for_user(user)
    listed = list(people.select_related(None).only("id", "org_path", "id_number", "mobile"))
    selectors.audit_pii_shown(user, listed, action="people.roster.exported_unmasked")
    rows = export_rows(people, policy)
    if fmt == "csv":
        return write_csv(EXPORT_HEADERS, rows), len(listed)
    return write_xlsx(EXPORT_HEADERS, rows, sheet_title=_("花名册")), len(listed)
