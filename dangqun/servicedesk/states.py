"""The request-state catalog: built-in defaults (enums.DEFAULT_STATES) merged with configured rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangqun.servicedesk.enums import DEFAULT_STATES, OPEN311_STATUS
from dangqun.servicedesk.models import RequestState


@dataclass(frozen=True)
class StateInfo:
    code: str
    kind: str
    name: str
    public_name: str
    public_description: str
    sort_order: int
    is_active: bool = True

    @property
    def open311_status(self) -> str:
        return OPEN311_STATUS[self.kind]


def catalog() -> dict[str, StateInfo]:
    """Every state by code, in display order (one query)."""
    states = {
        d.code: StateInfo(d.code, d.kind, str(d.name), str(d.public_name), str(d.public_description), i * 10)
        for i, d in enumerate(DEFAULT_STATES)
    }
    builtin = set(states)
    for row in RequestState.objects.all():
        kind = states[row.code].kind if row.code in builtin else row.kind  # built-ins keep their type
        states[row.code] = StateInfo(
            row.code, kind, row.name, row.public_name, row.public_description, row.sort_order,
            row.is_active or row.code in builtin,
        )  # fmt: skip
    return dict(sorted(states.items(), key=lambda item: (item[1].sort_order, item[0])))


def info(code: str, states: dict[str, StateInfo] | None = None) -> StateInfo:
    states = states if states is not None else catalog()
    found = states.get(code)
    if found is None:  # a configured row removed later: show the code rather than fail
        return StateInfo(code, "closed", code, _("已关闭"), "", 999)
    return found
