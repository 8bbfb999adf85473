"""The forms of the reports page (what to ask for) and of the office's activity log."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
from committee.choices import MeetingKind, MeetingStatus
from committee.models import Meeting
from icp_portal.lib.forms import DATE
from organizations.choices import OrganizationKind
from organizations.models import Organization, is_office_staff
from reports.models import ActivityKind, OfficeActivity, ReportFormat, ReportKind
from reports.services import report_kinds_for


class ReportRequestForm(forms.Form):
    """Ask for one report: its kind, format and the parameters that kind takes (the
    service checks who may ask and cleans them)."""

    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1980, max_value=2100)
    meeting = forms.ModelChoiceField(
        label=_("Meeting"), queryset=Meeting.objects.none(), required=False
    )
    agreement = forms.ModelChoiceField(
        label=_("Agreement"), queryset=Agreement.objects.none(), required=False
    )
    contractor = forms.ModelChoiceField(
        label=_("Contractor"), queryset=Organization.objects.none(), required=False
    )
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        staff = is_office_staff(user)
        self.fields["year"].initial = timezone.localdate().year - 1
        self.fields["as_of"].initial = timezone.localdate()
        self.fields["agreement"].queryset = Agreement.objects.visible_to(user).order_by("number")
        contractors = Organization.objects.filter(kind=OrganizationKind.FOREIGN_CONTRACTOR)
        if not staff:
            # A contractor's members ask for their statements only: no year, no meeting.
            del self.fields["year"], self.fields["meeting"]
            contractors = contractors.filter(memberships__user=user)
        kinds = report_kinds_for(user)
        self.fields["kind"].choices = [
            (value, label) for value, label in ReportKind.choices if value in kinds
        ]
        self.fields["contractor"].queryset = contractors.order_by("name_en")
        if "meeting" in self.fields:
            self.fields["meeting"].queryset = Meeting.objects.filter(
                kind=MeetingKind.PROMOTION_COMMITTEE, status=MeetingStatus.MINUTES_APPROVED
            ).order_by("-held_on")
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"

    def parameters(self) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        if kind == ReportKind.ANNUAL:
            return {"year": data.get("year")}
        if kind == ReportKind.MEETING_RESULTS:
            meeting = data.get("meeting")
            return {"meeting": meeting.pk if meeting else None}
        as_of = data.get("as_of")
        dated = {"as_of": as_of.isoformat()} if as_of else {}
        if kind == ReportKind.AGREEMENT_STATEMENT:
            return {"agreement": data["agreement"].pk if data.get("agreement") else None, **dated}
        return {"contractor": data["contractor"].pk if data.get("contractor") else None, **dated}


class OfficeActivityForm(forms.ModelForm):
    class Meta:
        model = OfficeActivity
        fields = ["kind", "held_on", "title", "counterpart", "firms", "people", "note"]
        widgets = {"held_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
