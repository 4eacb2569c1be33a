"""Authorization and flow of the import wizard and the export, through the real views."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from dangqun.people.models import Person, RosterImport
from dangqun.people.services import register_person
from dangqun.testing.factories import make_id_number, make_user, masses_data

pytestmark = pytest.mark.django_db


def upload(name="roster.xlsx", rows=()):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "所属组织"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


@pytest.fixture
def secretary(tree):
    return make_user("sec", grants=[(tree.community, "secretary")])


@pytest.mark.parametrize("name", ["people:roster-import", "people:roster-export", "people:roster-template"])
def test_anonymous_goes_to_login_and_member_is_refused(client, tree, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(make_user(grants=[(tree.branch, "member")]))
    assert client.get(reverse(name)).status_code == 403


def test_upload_check_commit_through_views(client, tree, secretary):
    client.force_login(secretary)
    rows = [["王芳", make_id_number(date(1988, 8, 8), female=True), tree.community.name]]
    response = client.post(reverse("people:roster-import"), {"file": upload(rows=rows)})
    record = RosterImport.objects.get()
    assert response["Location"] == reverse("people:roster-report", args=[record.pk])
    assert (record.rows_total, record.to_create, record.error_count) == (1, 1, 0)
    assert Person.objects.count() == 0
    response = client.post(reverse("people:roster-commit", args=[record.pk]), follow=True)
    assert "导入完成：新增 1 人" in response.content.decode()
    assert Person.objects.get().name == "王芳"
    response = client.post(reverse("people:roster-commit", args=[record.pk]), follow=True)
    assert "该文件已处理，请勿重复提交。" in response.content.decode()
    assert Person.objects.count() == 1


def test_commit_is_post_only_and_another_users_import_is_404(client, tree, secretary):
    client.force_login(secretary)
    client.post(reverse("people:roster-import"), {"file": upload(rows=[["王芳", make_id_number(), tree.branch.name]])})
    record = RosterImport.objects.get()
    assert client.get(reverse("people:roster-commit", args=[record.pk])).status_code == 405
    other = make_user("other", grants=[(tree.community, "secretary")])
    client.force_login(other)
    assert client.get(reverse("people:roster-report", args=[record.pk])).status_code == 404
    assert client.post(reverse("people:roster-commit", args=[record.pk])).status_code == 404
    assert Person.objects.count() == 0


def test_script_disguised_as_spreadsheet_refused_with_field_error(client, tree, secretary):
    client.force_login(secretary)
    fake = io.BytesIO(b"<script>alert(1)</script>")
    fake.name = "roster.xlsx"
    response = client.post(reverse("people:roster-import"), {"file": fake})
    assert response.status_code == 200
    assert "只支持 .xlsx 或 .csv 表格文件" in response.content.decode()
    assert RosterImport.objects.count() == 0


def test_export_stays_in_scope_and_masked(client, tree, secretary):
    register_person(actor=None, organization=tree.branch, data=masses_data("张三", mobile="13912345678"))
    register_person(actor=None, organization=tree.far_branch, data=masses_data("李四", id_number=make_id_number()))
    client.force_login(secretary)
    response = client.get(reverse("people:roster-export") + "?format=csv")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "张三" in text and "李四" not in text
    assert "139****5678" in text and "13912345678" not in text
    response = client.get(reverse("people:roster-export") + f"?org={tree.far_branch.pk}")
    assert response.status_code == 404
