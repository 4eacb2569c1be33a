"""iCalendar feeds (RFC 5545): CRLF, folding at 75 octets, escaping, DTSTAMP/UID, UTC times —
checked line by line and parsed by a real parser (the `icalendar` package, a test dependency)."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest
from django.urls import reverse

from dangqun.activities.ical import escape_text, fold
from dangqun.activities.ical_feeds import user_feed_token
from dangqun.activities.services.activities import cancel_activity
from dangqun.activities.services.registrations import register_person
from dangqun.activities.tests.factories import at, make_activity

pytestmark = pytest.mark.django_db
LONG_TITLE = "道德讲堂：孝老爱亲, 邻里和睦; 反斜杠\\ 第一讲" + "（金源花园小区老年人协会主办）" * 3


def strict_lines(body: bytes) -> list[str]:
    """Every line ends with CRLF, none is longer than 75 octets, no bare LF or CR."""
    assert body.endswith(b"\r\n")
    raw_lines = body.split(b"\r\n")[:-1]
    for line in raw_lines:
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a character
    unfolded: list[str] = []
    for line in raw_lines:
        text = line.decode("utf-8")
        if text.startswith(" "):
            unfolded[-1] += text[1:]
        else:
            unfolded.append(text)
    return unfolded


def test_fold_and_escape():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "汉" * 40
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_organization_feed_is_valid_rfc5545(client, tree):
    public = make_activity(tree.community, type_code="moral_lecture", audience="public", title=LONG_TITLE,
                           description="第一行\n第二行, 含逗号; 分号")  # fmt: skip
    make_activity(tree.community, type_code="theme_day", audience="branch", title="仅限党员")
    cancelled = make_activity(tree.branch, type_code="salon", audience="public", title="取消的沙龙")
    cancel_activity(actor=None, activity=cancelled, reason="改期")
    response = client.get(reverse("activities:ical-org", args=[tree.community.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    lines = strict_lines(response.content)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    calendar = icalendar.Calendar.from_ical(response.content.decode())
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {LONG_TITLE, "取消的沙龙"}
    event = events[LONG_TITLE]
    assert event["UID"] == f"activity-{public.pk}@testserver"
    assert event.decoded("DTSTART") == public.starts_at.astimezone(UTC)
    assert event.decoded("DTEND") == public.ends_at.astimezone(UTC)
    assert isinstance(event.decoded("DTSTAMP"), datetime)
    assert str(event["DESCRIPTION"]) == "顺城社区党委\n第一行\n第二行, 含逗号; 分号"
    assert str(events["取消的沙龙"]["STATUS"]) == "CANCELLED"
    assert str(event["URL"]).endswith(reverse("activities:public", args=[public.pk]))


def test_user_feed_lists_own_registrations_by_signed_token(client, tree, people):
    meeting = make_activity(tree.branch, type_code="theme_day", title="本支部主题党日")
    make_activity(tree.branch, type_code="party_lecture", title="未报名的党课")
    register_person(actor=people.member_user, activity=meeting, person=people.liu)
    token = user_feed_token(people.member_user)
    response = client.get(reverse("activities:ical-user", args=[token]))
    strict_lines(response.content)
    calendar = icalendar.Calendar.from_ical(response.content.decode())
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["本支部主题党日"]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("activities:ical-user", args=[forged])).status_code == 404
    assert client.get(reverse("activities:ical-user", args=["u1"])).status_code == 404
    assert at() is not None
