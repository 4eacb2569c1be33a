"""Roster import wizard (upload → dry-run report → commit) and export, for staff with grants."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.core.errors import DomainError
from dangqun.core.spreadsheets import write_xlsx
from dangqun.people import roster, roster_service, selectors
from dangqun.people.forms import PeopleFilterForm
from dangqun.people.models import RosterImport
from dangqun.people.roster_export import export_roster


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("花名册文件（.xlsx 或 .csv）"))


def _require(user, perm: str) -> None:
    if not permissions.has_perm(user, perm):
        raise PermissionDenied


def _own_import(user, pk) -> RosterImport:
    try:
        return RosterImport.objects.get(pk=pk, uploaded_by=user)
    except (RosterImport.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
def import_upload(request):
    _require(request.user, Perm.IMPORT_PEOPLE)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = roster_service.check_upload(actor=request.user, upload=form.cleaned_data["file"])
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("people:roster-report", pk=record.pk)
    recent = RosterImport.objects.filter(uploaded_by=request.user)[:10]
    return render(
        request,
        "people/roster/upload.html",
        {
            "form": form,
            "recent": recent,
            "required": roster.REQUIRED_HEADERS,
            "optional": roster.TEMPLATE_HEADERS[3:],
        },
    )


@login_required
def import_report(request, pk):
    _require(request.user, Perm.IMPORT_PEOPLE)
    record = _own_import(request.user, pk)
    return render(request, "people/roster/report.html", {"record": record, "shown": len(record.errors)})


@login_required
@require_POST
def import_commit(request, pk):
    _require(request.user, Perm.IMPORT_PEOPLE)
    record = _own_import(request.user, pk)
    try:
        result = roster_service.commit_import(actor=request.user, record=record)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("people:roster-report", pk=record.pk)
    messages.success(
        request,
        _("导入完成：新增 %(c)d 人，更新 %(u)d 人，无变化 %(n)d 人。")
        % {"c": result["created"], "u": result["updated"], "n": result["unchanged"]},
    )
    return redirect("people:roster-report", pk=record.pk)


@login_required
@require_POST
def import_discard(request, pk):
    _require(request.user, Perm.IMPORT_PEOPLE)
    roster_service.discard_import(actor=request.user, record=_own_import(request.user, pk))
    messages.info(request, _("已放弃本次导入，上传的文件已删除。"))
    return redirect("people:roster-import")


@login_required
def import_template(request):
    _require(request.user, Perm.IMPORT_PEOPLE)
    content = write_xlsx(roster.TEMPLATE_HEADERS, [], sheet_title=_("花名册"))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''roster-template.xlsx"
    return response


@login_required
def export(request):
    _require(request.user, Perm.EXPORT_PEOPLE)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    filters = PeopleFilterForm(request.user, request.GET)
    people = filters.apply(selectors.people_visible_to(request.user, Perm.EXPORT_PEOPLE))
    content, _count = export_roster(request.user, people, fmt=fmt)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''roster-{stamp}.{fmt}"
    response["Cache-Control"] = "no-store"
    return response
