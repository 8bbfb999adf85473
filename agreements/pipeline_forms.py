"""Forms of the procurement pipeline: they validate input; the pipeline's services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.choices import AssessmentResult, Ministry, Mode
from agreements.models import CapabilityAssessment, NegotiationMeeting, NegotiationMember
from demand_items.choices import ItemStatus
from demand_items.models import DemandItem
from icp_portal.lib.forms import DATE, InputForm

MULTIPLIER = {"max_digits": 6, "decimal_places": 2, "min_value": 0, "required": False}


class StageForm(forms.Form):
    """A stage change: the reason for no ICP, the LOA's date with the commitment."""

    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea)
    loa_signed_on = forms.DateField(label=_("LOA signed on"), required=False, widget=DATE)


class AssessmentForm(InputForm):
    class Meta:
        model = CapabilityAssessment
        fields = ["item", "result", "note"]
        widgets = {"result": forms.Select(choices=AssessmentResult.choices)}


class SpecificationForm(forms.Form):
    """The ICP specification: the ratio, the exemption's reason where the 40% floor is not
    met, the date, the schedule, and a minimum and maximum multiplier per allowed mode
    (a mode left empty is not allowed)."""

    icp_ratio_min = forms.DecimalField(
        label=_("Minimum credit ratio"),
        max_digits=5,
        decimal_places=4,
        help_text=_("e.g. 0.4 for 40 percent of the contract price"),
    )
    ratio_exemption = forms.CharField(
        label=_("Reason for the ratio exemption"), required=False, widget=forms.Textarea
    )
    issued_on = forms.DateField(label=_("Specification issued on"), widget=DATE)
    schedule = forms.CharField(
        label=_("Schedule and procedure"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for mode, label in Mode.choices:
            self.fields[f"min_{mode}"] = forms.DecimalField(
                label=_("%(mode)s: minimum multiplier") % {"mode": label}, **MULTIPLIER
            )
            self.fields[f"max_{mode}"] = forms.DecimalField(
                label=_("%(mode)s: maximum multiplier") % {"mode": label}, **MULTIPLIER
            )

    def clean(self):
        data = super().clean()
        standards = []
        for mode in Mode.values:
            low, high = data.get(f"min_{mode}"), data.get(f"max_{mode}")
            if low is None and high is None:
                continue
            if low is None or high is None:
                self.add_error(f"min_{mode}", _("Give both the minimum and the maximum."))
                continue
            standards.append({"mode": mode, "min_multiplier": low, "max_multiplier": high})
        data["standards"] = standards
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "icp_ratio_min": data["icp_ratio_min"],
            "ratio_exemption": data.get("ratio_exemption", ""),
            "issued_on": data["issued_on"],
            "schedule": data.get("schedule", ""),
            "standards": data["standards"],
        }


class TeamMemberForm(InputForm):
    class Meta:
        model = NegotiationMember
        fields = ["name", "ministry", "unit", "leader"]
        widgets = {"ministry": forms.Select(choices=Ministry.choices)}


class NegotiationMeetingForm(InputForm):
    class Meta:
        model = NegotiationMeeting
        fields = ["held_on", "counterpart", "notes"]
        widgets = {"held_on": DATE}


class PlanItemChoiceForm(forms.Form):
    demand_item = forms.ModelChoiceField(
        label=_("Demand item"),
        queryset=DemandItem.objects.filter(status=ItemStatus.PASSED, published=True).order_by(
            "title_zh"
        ),
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices)


class LoaForm(forms.Form):
    loa_signed_on = forms.DateField(label=_("LOA signed on"), widget=DATE)
