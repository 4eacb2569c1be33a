"""公示 and objections: the public page shows the minimum, comes down by itself (a job with a frozen
clock), and guessed or unpublished URLs are 404; objections are spam-checked and answered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.orglife import jobs, services
from dangqun.orglife.models import Objection, PublicNotice

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(world):
    world.contact_point()
    world.signed_report(world.own_meeting())
    filing = services.submit_filing(actor=world.cadre_user, cadre=world.cadre, quarter=world.quarter)
    services.review_filing(actor=world.committee_user, filing=filing, accept=True)
    return PublicNotice.objects.get()


def _objection(notice, text="公示内容与实际不符。", **kwargs):
    kwargs.setdefault("started_at", notice.starts_at)
    kwargs.setdefault("now", notice.starts_at + timedelta(minutes=5))
    kwargs.setdefault("ip", "203.0.113.7")
    return services.file_objection(token=notice.token, text=text, **kwargs)


def test_public_page_shows_only_the_minimum(client, notice, world):
    response = client.get(reverse("orglife:public", args=[notice.token]))
    assert response.status_code == 200
    html = response.content.decode()
    for shown in ("王建国", "区委常委", "世邦魏理仕物业昆明分公司党支部", "2025年度组织生活会", "参加组织生活会并作对照检查发言。",
                  "12380", "公示期："):  # fmt: skip
        assert shown in html
    person = world.cadre
    for hidden in (person.id_number, person.mobile, person.id_number[-4:] + "<", "杨志宇", "学习党章"):
        assert hidden not in html
    assert "<img" not in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    assert 'name="robots" content="noindex' in html


def test_guessed_or_unpublished_urls_are_404(client, world, notice):
    assert client.get(reverse("orglife:public", args=["x" * 32])).status_code == 404
    assert client.get(reverse("orglife:public", args=[notice.token[:-1]])).status_code == 404
    # The report of a township cadre was never posted: no URL leads to it.
    assert client.get(f"/orglife/p/{notice.report_id}/").status_code == 404
    assert client.get(f"/orglife/reports/{notice.report_id}/").status_code == 302  # staff page: login first
    assert len(notice.token) >= 32


def test_the_job_takes_the_notice_down_with_a_frozen_clock(client, notice):
    url = reverse("orglife:public", args=[notice.token])
    assert jobs.take_down_notices(notice.ends_at - timedelta(seconds=1)) == 0
    assert PublicNotice.objects.get().status == "posted"
    assert jobs.take_down_notices(notice.ends_at) == 1
    assert jobs.take_down_notices(notice.ends_at + timedelta(hours=1)) == 0  # idempotent
    notice.refresh_from_db()
    assert (notice.status, notice.taken_down_at) == ("taken_down", notice.ends_at)
    response = client.get(url)
    assert response.status_code == 410
    assert "公示已结束" in response.content.decode() and "王建国" not in response.content.decode()
    entry = AuditEntry.objects.get(action="orglife.notice.taken_down")
    assert entry.actor is None and entry.data["reason"] == "period_ended"


def test_notice_is_gone_at_its_end_even_before_the_job_runs(client, notice):
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_at=notice.starts_at - timedelta(days=8), ends_at=notice.starts_at - timedelta(minutes=1)
    )
    assert client.get(reverse("orglife:public", args=[notice.token])).status_code == 410


def test_objection_goes_to_the_department_queue_with_a_deadline(notice, world):
    objection = _objection(notice)
    assert objection.queue_path == world.department.path
    assert objection.response_due == timezone.localdate(notice.starts_at + timedelta(minutes=5)) + timedelta(
        days=15
    )
    assert objection.is_anonymous and len(objection.receipt) >= 16
    assert objection.ip_hash != "203.0.113.7" and len(objection.ip_hash) == 64
    with pytest.raises(DomainError) as exc:
        services.answer_objection(
            actor=world.committee_user, objection=objection, outcome="unfounded", response="…"
        )
    assert exc.value.status == 403
    answered = services.answer_objection(actor=world.department_user, objection=objection, outcome="unfounded",
                                         response="经核查，该同志按时参加了组织生活会。")  # fmt: skip
    assert answered.status == "answered"
    with pytest.raises(DomainError) as exc:
        services.answer_objection(
            actor=world.department_user, objection=objection, outcome="partly", response="再答"
        )
    assert exc.value.code == "already_answered"


def test_script_is_stored_inert_and_rendered_escaped(client, notice, world):
    objection = _objection(notice, text='<script>alert("x")</script>公示有误')
    assert objection.text == '<script>alert("x")</script>公示有误'
    client.force_login(world.department_user)
    html = client.get(reverse("orglife:objection", args=[objection.pk])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;公示有误" in html
    client.logout()
    receipt = client.get(reverse("orglife:receipt", args=[objection.receipt])).content.decode()
    assert "<script>alert" not in receipt and "&lt;script&gt;" in receipt


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"honeypot": "http://spam.example"}, "rejected"),
        ({"started_at": None}, "form_expired"),
        ({"now": "fast"}, "too_fast"),
        ({"text": "很" * 2001}, "too_long"),
        ({"text": "   "}, "required"),
        ({"contact": "12345"}, "invalid_contact"),
    ],
)
def test_spam_and_bad_objections_are_refused(notice, kwargs, code):
    if kwargs.get("now") == "fast":
        kwargs["now"] = notice.starts_at + timedelta(seconds=1)
    text = kwargs.pop("text", "有意见")
    with pytest.raises(DomainError) as exc:
        _objection(notice, text=text, **kwargs)
    assert exc.value.code == code
    assert Objection.objects.count() == 0


def test_objections_are_rate_limited_per_ip(notice):
    for index in range(5):
        _objection(notice, text=f"第{index}条")
    with pytest.raises(DomainError) as exc:
        _objection(notice, text="第六条")
    assert (exc.value.code, exc.value.status) == ("rate_limited", 429)
    _objection(notice, text="别的地址", ip="198.51.100.2")
    later = notice.starts_at + timedelta(hours=1, minutes=6)
    _objection(notice, text="一小时后", now=later, started_at=later - timedelta(minutes=1))
    assert Objection.objects.count() == 7


def test_no_objection_after_take_down(notice):
    jobs.take_down_notices(notice.ends_at)
    with pytest.raises(DomainError) as exc:
        _objection(notice, now=notice.ends_at + timedelta(minutes=1))
    assert exc.value.status == 410


def _opened_a_minute_ago() -> str:
    from django.core import signing
    from django.utils import timezone

    return signing.dumps(
        (timezone.now() - timedelta(minutes=1)).timestamp(), salt="orglife.objection.started"
    )


def test_objection_form_end_to_end(client, notice):
    from dangqun.orglife.forms import started_token

    url = reverse("orglife:public", args=[notice.token])
    page = client.get(url).content.decode()
    assert 'name="website"' in page and 'class="hp-field"' in page
    response = client.post(
        url, {"text": "我有意见", "name": "", "contact": "", "website": "", "started": _opened_a_minute_ago()}
    )
    objection = Objection.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "orglife:receipt", args=[objection.receipt]
    )
    too_fast = client.post(url, {"text": "太快", "website": "", "started": started_token()})
    assert too_fast.status_code == 429 and "提交过快" in too_fast.content.decode()
    bot = client.post(url, {"text": "广告", "website": "http://spam", "started": _opened_a_minute_ago()})
    assert bot.status_code == 400 and Objection.objects.count() == 1


def test_ten_megabytes_are_refused_before_the_body_is_read(client, notice):
    url = reverse("orglife:public", args=[notice.token])
    body = "text=" + "很" * (10 * 1024 * 1024 // 3)
    response = client.generic("POST", url, body.encode(), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "提交的内容超过 64 KB，未被接收" in response.content.decode()
    assert Objection.objects.count() == 0


def test_size_is_checked_before_csrf_reads_the_body(notice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    url = reverse("orglife:public", args=[notice.token])
    body = ("text=" + "很" * (10 * 1024 * 1024 // 3)).encode()
    assert (
        strict.generic("POST", url, body, content_type="application/x-www-form-urlencoded").status_code == 413
    )
    assert strict.post(url, {"text": "没有令牌"}).status_code == 403
    strict.get(url)
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        url, {"text": "有令牌", "started": _opened_a_minute_ago(), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Objection.objects.get().text == "有令牌"


def test_form_field_limit_names_the_field(client, notice):
    url = reverse("orglife:public", args=[notice.token])
    response = client.post(url, {"text": "很" * 2001, "website": "", "started": _opened_a_minute_ago()})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="field-text"' in html and "2000" in html
    assert Objection.objects.count() == 0
