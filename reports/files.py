"""Serving a built report's file (pages and API alike): only once done, never expired."""

from __future__ import annotations

from django.http import FileResponse, Http404

from reports.models import JobStatus, ReportFormat, ReportJob

CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def open_stored(field):
    """A stored file opened for reading; 404 when it is gone from the storage (deleted
    by hand, or a restore without the media folder), never a 500."""
    try:
        return field.open("rb")
    except OSError:
        raise Http404 from None


def report_file_response(job: ReportJob) -> FileResponse:
    """The job's file as a download (404 until it is done, and once it expired)."""
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    response = FileResponse(
        open_stored(job.file),
        as_attachment=True,
        filename=job.filename or f"report-{job.pk}",
        content_type=CONTENT_TYPES[ReportFormat(job.format)],
    )
    response["Cache-Control"] = "private, no-store"
    return response
