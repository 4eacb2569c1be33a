"""The quarter's PDFs as a batch job: one filing PDF per cadre (reports + 纪实), written to a folder.

Used by `manage.py orglife_quarter_pdfs` (e.g. to print the quarter for the archive) and by
bench/bench_reports_pdf.py. Reads in chunks; each PDF is rendered, written and forgotten.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dangqun.orglife import pdf
from dangqun.orglife.models import QuarterlyFiling
from dangqun.orglife.quarters import Quarter

CHUNK = 100


@dataclass
class BatchResult:
    count: int = 0
    bytes: int = 0
    seconds: float = 0.0
    timings: list[float] = field(default_factory=list)  # wall seconds per PDF (query + render + write)
    cpu_timings: list[float] = field(default_factory=list)  # CPU seconds of this process per PDF


def quarter_filings(quarter: Quarter, *, org_path: str = ""):
    filings = QuarterlyFiling.objects.filter(year=quarter.year, quarter=quarter.number)
    if org_path:
        filings = filings.filter(org_path__under=org_path)
    return filings.select_related("committee", "copy_to").order_by("org_path", "id")


def render_quarter_pdfs(
    quarter: Quarter,
    *,
    out_dir: Path | None = None,
    org_path: str = "",
    limit: int | None = None,
    on_each: Callable[[QuarterlyFiling, bytes], None] | None = None,
) -> BatchResult:
    """Render every filing of the quarter (optionally under one subtree); write `<id>.pdf` files."""
    pdf.check_font()
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    result = BatchResult()
    started = time.perf_counter()
    ids = list(quarter_filings(quarter, org_path=org_path).values_list("id", flat=True)[:limit])
    for offset in range(0, len(ids), CHUNK):
        chunk = quarter_filings(quarter).filter(id__in=ids[offset : offset + CHUNK])
        for filing in chunk:
            begin, begin_cpu = time.perf_counter(), time.process_time()
            content = pdf.filing_pdf(filing)
            if out_dir is not None:
                (out_dir / f"{filing.year}Q{filing.quarter}-{filing.pk}.pdf").write_bytes(content)
            if on_each is not None:
                on_each(filing, content)
            result.timings.append(time.perf_counter() - begin)
            result.cpu_timings.append(time.process_time() - begin_cpu)
            result.count += 1
            result.bytes += len(content)
    result.seconds = time.perf_counter() - started
    return result
