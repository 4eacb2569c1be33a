"""The import wizard's steps: upload and check, commit, discard. The file waits in var/media."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.people import roster
from dangqun.people.models import RosterImport

REPORTED_ERRORS = 500


def _directory() -> Path:
    path = Path(settings.MEDIA_ROOT) / "roster_imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_upload(*, actor, upload) -> RosterImport:
    """Store the upload and run the dry run. Raises DomainError when the file is unusable."""
    if not permissions.has_perm(actor, Perm.IMPORT_PEOPLE):
        raise DomainError("permission_denied", _("您无权导入花名册。"), status=403)
    if upload.size > settings.ROSTER_UPLOAD_MAX_BYTES:
        limit = settings.ROSTER_UPLOAD_MAX_BYTES // (1024 * 1024)
        raise DomainError("too_large", _("文件过大，上限 %(m)d MB。") % {"m": limit}, field="file")
    filename = Path(upload.name or "roster").name[:200]
    stored_name = f"{uuid.uuid4().hex}{Path(filename).suffix.lower()[:8]}"
    stored = _directory() / stored_name
    with stored.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        with stored.open("rb") as handle:
            plan = roster.analyse(handle, filename=filename, actor=actor)
    except DomainError:
        stored.unlink(missing_ok=True)
        raise
    record = RosterImport.objects.create(
        uploaded_by=actor,
        filename=filename,
        stored_name=stored_name,
        rows_total=plan.rows_total,
        to_create=len(plan.to_create),
        to_update=len(plan.to_update),
        unchanged=plan.unchanged,
        error_count=len(plan.error_rows),
        errors=[
            {"row": e.row, "column": e.column, "header": e.header, "message": e.message, "text": str(e)}
            for e in plan.errors[:REPORTED_ERRORS]
        ],
    )
    if plan.errors:
        stored.unlink(missing_ok=True)  # nothing to commit: keep no personal data lying around
    audit.record(
        "people.roster.checked",
        actor=actor,
        obj=record,
        data={"filename": filename, "rows": plan.rows_total, "error_rows": len(plan.error_rows)},
    )
    return record


def commit_import(*, actor, record: RosterImport) -> dict[str, int]:
    record = RosterImport.objects.get(pk=record.pk, uploaded_by=actor)
    if record.status != RosterImport.Status.CHECKED:
        raise DomainError("already_done", _("该文件已处理，请勿重复提交。"))
    if record.error_count:
        raise DomainError("roster_has_errors", _("表格仍有错误，未导入任何数据；请修改后重新上传。"))
    stored = _directory() / record.stored_name
    if not stored.exists():
        raise DomainError("file_gone", _("上传的文件已失效，请重新上传。"))
    with stored.open("rb") as handle:
        plan = roster.analyse(handle, filename=record.filename, actor=actor)
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=record.pk)
        if locked.status != RosterImport.Status.CHECKED:
            raise DomainError("already_done", _("该文件已处理，请勿重复提交。"))
        result = roster.commit(plan, actor=actor, filename=record.filename)
        locked.status = RosterImport.Status.COMMITTED
        locked.committed_at = timezone.now()
        locked.to_create, locked.to_update, locked.unchanged = (
            result["created"],
            result["updated"],
            result["unchanged"],
        )
        locked.save(update_fields=["status", "committed_at", "to_create", "to_update", "unchanged"])
    stored.unlink(missing_ok=True)
    return result


@transaction.atomic
def discard_import(*, actor, record: RosterImport) -> None:
    record = RosterImport.objects.select_for_update().get(pk=record.pk, uploaded_by=actor)
    if record.status == RosterImport.Status.CHECKED:
        record.status = RosterImport.Status.DISCARDED
        record.save(update_fields=["status"])
        (_directory() / record.stored_name).unlink(missing_ok=True)
