"""A case's timeline reads as people write (issue 14): a checklist confirmation names the
item and its result, an agenda step names the meeting, never a code or a bare "#22"; the
office's own words are marked "(in Chinese)" for an English reader."""

from cases.models import Case
from organizations.models import AuditEvent
from tests.reports.test_statistics import (  # a small 2011 played through the API
    agreement,
    non_profit_recipient,
    pool,
    year_2011,
)

__all__ = ["agreement", "non_profit_recipient", "pool", "year_2011"]


def _timeline(client, case, language):
    client.cookies["django_language"] = language
    html = client.get(f"/cases/{case.pk}/").content.decode()
    return html.split('data-testid="timeline"', 1)[1] if 'data-testid="timeline"' in html else html


def test_the_timeline_names_checklist_items_and_meetings_in_the_reader_language(
    year_2011, client, office_user
):
    case = Case.objects.get(title_en="aerospace case")
    events = AuditEvent.objects.filter(target_id=str(case.pk))
    assert events.filter(action="case.checklist", note="forms_complete=pass").exists()
    agenda = events.filter(action="case.put_on_agenda").first()
    assert agenda is not None and agenda.note.startswith("#")
    meeting = case.agenda_items.select_related("meeting").get(meeting_id=agenda.note[1:]).meeting
    client.force_login(office_user)
    english = _timeline(client, case, "en")
    assert "forms_complete" not in english and "=pass" not in english
    assert "Forms complete and in format: Pass" in english
    assert "at_approval" not in english and "At actual approval 2011-12-06" in english
    assert f">{agenda.note}<" not in english and str(meeting) in english
    chinese = _timeline(client, case, "zh-hant")
    assert "forms_complete" not in chinese
    assert "表件齊全且符合格式: 符合" in chinese


def test_a_rejected_case_tells_the_contractor_why_first(year_2011, client, contractor_a_member):
    case = Case.objects.get(title_en="rail case")
    assert case.status == "rejected"
    decision = case.agenda_items.get(decision__isnull=False).decision
    decision.note, decision.note_en = "技術層次不足", "Not advanced enough"
    decision.save(update_fields=["note", "note_en"])
    client.force_login(contractor_a_member)
    client.cookies["django_language"] = "en"
    html = client.get(f"/cases/{case.pk}/").content.decode()
    alert = html.split('data-testid="latest-decision"', 1)[1].split("</div>", 1)[0]
    assert "Rejected" in alert and "Not advanced enough" in alert
    client.cookies["django_language"] = "zh-hant"
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "技術層次不足" in html.split('data-testid="latest-decision"', 1)[1].split("</div>", 1)[0]
    approved = Case.objects.get(title_en="energy case")
    assert (
        'data-testid="latest-decision"' not in client.get(f"/cases/{approved.pk}/").content.decode()
    )
