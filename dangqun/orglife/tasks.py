"""After-commit work of the orglife app (thin: ids in, idempotent, never raises)."""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction

from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry

logger = logging.getLogger(__name__)


def archive_filing_pdf(filing_id: int) -> bool:
    """Keep the PDF of an accepted filing as it was accepted (once)."""
    from dangqun.orglife import pdf
    from dangqun.orglife.enums import FilingStatus
    from dangqun.orglife.models import QuarterlyFiling

    filing = QuarterlyFiling.objects.filter(pk=filing_id, status=FilingStatus.ACCEPTED).first()
    if filing is None or filing.archive_pdf:
        return False
    try:
        content = pdf.filing_pdf(filing)
    except DomainError as exc:
        logger.error("filing %s: PDF not archived: %s", filing_id, exc.message)
        audit.record("orglife.filing.archive_failed", obj=filing, result=AuditEntry.Result.FAILURE,
                     data={"error": exc.message})  # fmt: skip
        return False
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        locked = QuarterlyFiling.objects.select_for_update(of=("self",)).get(pk=filing_id)
        if locked.archive_pdf:
            return False
        locked.archive_pdf.save(f"filing-{filing_id}-{digest[:16]}.pdf", ContentFile(content), save=False)
        locked.archive_sha256 = digest
        locked.save(update_fields=["archive_pdf", "archive_sha256"])
        audit.record("orglife.filing.archived", obj=locked, data={"sha256": digest, "bytes": len(content)})
    return True
