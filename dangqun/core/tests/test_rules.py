from datetime import date

import pytest

from dangqun.core import rules
from dangqun.core.models import RuleValue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sample_rule():
    rules.register("test.notice_days", 7, unit="days", source="RULES.md §2.2", mark="L")
    rules.register("test.fixed", 180, unit="days", mark="V", overridable=False)


def test_default_then_versioned_override_then_tenant_override():
    assert rules.value("test.notice_days", on=date(2026, 1, 1)) == 7
    RuleValue.objects.create(key="test.notice_days", value=5, effective_from=date(2026, 6, 1))
    RuleValue.objects.create(key="test.notice_days", value=10, effective_from=date(2026, 6, 1), org_path="0001")
    assert rules.value("test.notice_days", on=date(2026, 5, 31)) == 7
    assert rules.value("test.notice_days", on=date(2026, 6, 1)) == 5
    assert rules.value("test.notice_days", on=date(2026, 6, 1), org_path="00010002") == 10
    assert rules.value("test.notice_days", on=date(2026, 6, 1), org_path="0002") == 5


def test_tenant_cannot_override_a_fixed_rule():
    RuleValue.objects.create(key="test.fixed", value=30, effective_from=date(2020, 1, 1), org_path="0001")
    assert rules.value("test.fixed", org_path="00010001") == 180


def test_unknown_rule_is_an_error():
    with pytest.raises(KeyError):
        rules.value("no.such.rule")
