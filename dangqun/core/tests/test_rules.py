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


def test_rows_are_cached_per_process_and_a_save_clears_them(django_assert_num_queries, settings):
    settings.RULES_CACHE_SECONDS = 30
    with django_assert_num_queries(1):
        assert [rules.value("test.notice_days") for _ in range(3)] == [7, 7, 7]
    RuleValue.objects.create(key="test.notice_days", value=3, effective_from=date(2020, 1, 1))
    with django_assert_num_queries(1):
        assert rules.value("test.notice_days") == 3
    RuleValue.objects.all().delete()
    assert rules.value("test.notice_days") == 7


def test_cached_rows_expire(django_assert_num_queries, settings, monkeypatch):
    settings.RULES_CACHE_SECONDS = 30
    clock = iter([100.0, 120.0, 131.0])
    monkeypatch.setattr(rules, "_clock", lambda: next(clock))
    RuleValue.objects.bulk_create([RuleValue(key="test.notice_days", value=4, effective_from=date(2020, 1, 1))])
    with django_assert_num_queries(2):  # loaded at 100, cached at 120, reloaded at 131
        assert [rules.value("test.notice_days") for _ in range(3)] == [4, 4, 4]
