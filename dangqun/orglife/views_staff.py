"""Staff pages: the secretary's sign-off queue, contact points, the notice archive and posters, and
the organization department's objection queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.accounts import permissions
from dangqun.accounts.decorators import staff_view
from dangqun.accounts.enums import Perm
from dangqun.core import audit, rules
from dangqun.core.errors import DomainError
from dangqun.core.masking import mask_landline, mask_mobile
from dangqun.core.viewutils import form_error_from
from dangqun.orglife import pdf, services
from dangqun.orglife import rules as keys
from dangqun.orglife.enums import NoticeStatus, ObjectionStatus
from dangqun.orglife.forms import AnswerForm, ContactPointForm, TakeDownForm
from dangqun.orglife.selectors import access
from dangqun.orglife.services.notices import is_live
from dangqun.orgs.models import Organization
from dangqun.orgs.selectors import get_organization_for, scope_roots
from dangqun.people.models import Person
from dangqun.people.selectors import PiiPolicy

LIST_LIMIT = 200


@staff_view(Perm.REVIEW_RECORDS)
def signoff_queue(request):
    reports = list(access.reports_to_sign(request.user)[:LIST_LIMIT])
    return render(request, "orglife/signoff.html", {"reports": reports})


def _cadres_and_branches(user, root: Organization):
    levels = list(rules.value(keys.CADRE_LEVELS, org_path=root.path) or [])
    cadres = (
        Person.objects.filter(org_path__under=root.path, party_profile__cadre_level__in=levels)
        .select_related("organization")
        .order_by("org_path", "name", "id")[:LIST_LIMIT]
    )
    branches = (
        Organization.objects.filter(
            path__under=root.path, dissolved_at__isnull=True, kind__category="party", kind__holds_members=True
        )
        .exclude(kind_id="group")
        .order_by("path")[:LIST_LIMIT]
    )
    return list(cadres), list(branches)


@staff_view(Perm.REVIEW_FILINGS)
def contact_points(request):
    user = request.user
    roots = scope_roots(user, Perm.REVIEW_FILINGS)
    root = (
        get_organization_for(user, request.GET["org"], Perm.REVIEW_FILINGS)
        if request.GET.get("org")
        else roots.first()
    )
    if root is None:
        raise Http404
    year = timezone.localdate().year
    cadres, branches = _cadres_and_branches(user, root)
    form = ContactPointForm(request.POST or None, cadres=cadres, branches=branches, years=[year, year + 1, year - 1],
                            initial={"year": year})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cadre = next(p for p in cadres if p.pk == data["cadre"])
        branch = next(o for o in branches if o.pk == data["branch"])
        try:
            services.assign_contact_point(
                actor=user, cadre=cadre, branch=branch, year=data["year"], note=data["note"]
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("已确定%(c)s的联系点：%(b)s。") % {"c": cadre.name, "b": branch.name})
            return redirect(f"{reverse('orglife:contact-points')}?org={root.pk}")
    points = list(
        access.contact_points_visible_to(user)
        .filter(Q(district_path__under=root.path) | Q(cadre_path__under=root.path), revoked_at__isnull=True)
        .order_by("-year", "cadre_path", "cadre__name", "id")[:LIST_LIMIT]
    )
    return render(
        request, "orglife/contact_points.html", {"form": form, "points": points, "root": root, "roots": roots}
    )


@staff_view(Perm.REVIEW_FILINGS)
@require_POST
def contact_point_revoke(request, pk: int):
    try:
        point = access.contact_points_visible_to(request.user).get(pk=pk)
    except (ValueError, TypeError, access.ContactPoint.DoesNotExist):
        raise Http404 from None
    try:
        services.revoke_contact_point(actor=request.user, contact_point=point)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤销联系点。"))
    return redirect("orglife:contact-points")


def _may_see_notices(user) -> bool:
    return permissions.has_perm(user, Perm.REVIEW_FILINGS) or permissions.has_perm(
        user, Perm.MANAGE_ACTIVITIES
    )


@staff_view()
def notice_archive(request):
    if not _may_see_notices(request.user):
        raise PermissionDenied
    now = timezone.now()
    notices = list(access.notices_visible_to(request.user).order_by("-starts_at", "-id")[:LIST_LIMIT])
    rows = [{"notice": n, "live": is_live(n, now)} for n in notices]
    return render(request, "orglife/notices.html", {"rows": rows})


@staff_view()
def notice_detail(request, pk: int):
    """The notice as staff see it (also after take-down), with the poster's QR and its objections."""
    if not _may_see_notices(request.user):
        raise PermissionDenied
    notice = access.get_notice_for(request.user, pk)
    url = request.build_absolute_uri(reverse("orglife:public", args=[notice.token]))
    objections = list(
        access.objections_visible_to(request.user).filter(notice=notice).order_by("created_at", "id")
    )
    can_take_down = notice.status == NoticeStatus.POSTED and permissions.has_perm(
        request.user, Perm.REVIEW_FILINGS, notice.queue_path
    )
    context = {
        "notice": notice,
        "live": is_live(notice, timezone.now()),
        "public_url": url,
        "qr": pdf.qr_svg(url),
        "objections": objections,
        "take_down_form": TakeDownForm() if can_take_down else None,
        "poster": request.GET.get("poster") == "1",
    }
    return render(request, "orglife/notice.html", context)


@staff_view(Perm.REVIEW_FILINGS)
@require_POST
def notice_take_down(request, pk: int):
    notice = access.get_notice_for(request.user, pk)
    form = TakeDownForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("required", _("请填写撤下原因。"), field="reason")
        services.take_down_notice(actor=request.user, notice=notice, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("公示已撤下。"))
    return redirect("orglife:notice", pk=notice.pk)


@staff_view(Perm.REVIEW_FILINGS)
def objection_queue(request):
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    objections = access.objections_visible_to(request.user)
    if show == "open":
        objections = objections.filter(status=ObjectionStatus.OPEN).order_by("response_due", "id")
    else:
        objections = objections.order_by("-created_at", "-id")
    return render(request, "orglife/objections.html",
                  {"objections": list(objections[:LIST_LIMIT]), "today": today, "show": show})  # fmt: skip


@staff_view(Perm.REVIEW_FILINGS)
def objection_detail(request, pk: int):
    objection = access.get_objection_for(request.user, pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_objection(actor=request.user, objection=objection, **form.cleaned_data)
            except DomainError as exc:
                if exc.status == 403:
                    raise PermissionDenied from None
                form_error_from(form, exc)
            else:
                messages.success(request, _("已答复。"))
                return redirect("orglife:objection", pk=objection.pk)
    shows_pii = PiiPolicy.for_user(request.user).allows(objection.queue_path)
    contact = objection.contact
    if contact and not shows_pii:
        contact = mask_mobile(contact) if "-" not in contact else mask_landline(contact)
    elif contact and request.method == "GET":
        audit.record("orglife.objection.contact_viewed", actor=request.user, obj=objection,
                     org_path=objection.queue_path, data={"fields": ["contact"]})  # fmt: skip
    context = {"objection": objection, "form": form, "contact": contact, "today": timezone.localdate()}
    return render(request, "orglife/objection.html", context)
