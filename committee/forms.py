"""Forms of meetings: planning, the agenda, decisions, minutes, and the members' conflict
declarations and opinions. They validate input; ``committee.services`` write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import selectors as agreement_selectors
from cases.choices import SubcommitteeOutcome
from cases.models import Case
from committee.choices import OUTCOMES_BY_KIND, AgendaKind, MeetingKind, Outcome, Requester
from icp_portal.lib.forms import DATE
from organizations.models import ReviewerProfile

BLANK = [("", "---------")]


class ReviewerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        fields = ", ".join(str(label) for label in obj.field_labels()) if obj.fields else ""
        return f"{obj.user.display_name} · {obj.get_kind_display()} · {obj.affiliation}" + (
            f" ({fields})" if fields else ""
        )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Meeting number"),
        min_value=1,
        help_text=_("The meeting's number within its kind and year."),
    )
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    title_en = forms.CharField(
        label=_("Title (English)"),
        required=False,
        max_length=200,
        help_text=_("Shown to English readers; without it they see the Chinese."),
    )
    members = ReviewerChoiceField(
        label=_("Members"),
        queryset=ReviewerProfile.objects.filter(active=True)
        .select_related("user")
        .order_by("kind", "user__username"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_(
            "A sub-committee seats 5 to 7 reviewers, experts more than half. The promotion "
            "committee's members need not be listed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)


class CaseByNumberField(forms.ModelChoiceField):
    """A case typed by its number, among the cases the person may see."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "number")
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("No case you may see has this number.")}
        )
        super().__init__(*args, **kwargs)


class AgendaAddForm(forms.Form):
    case = CaseByNumberField(label=_("Case number"), queryset=Case.objects.none())
    kind = forms.ChoiceField(label=_("Agenda item"), choices=AgendaKind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, meeting, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = Case.objects.visible_to(user)
        self.fields["case"].widget.attrs.update(
            {"list": "agenda-case-numbers", "autocomplete": "off", "placeholder": "C-2011-0001"}
        )
        kinds = [
            (value, label)
            for value, label in AgendaKind.choices
            if (value == AgendaKind.CASE_REVIEW) == (meeting.kind == MeetingKind.SUBCOMMITTEE)
        ]
        self.fields["kind"].choices = kinds


class DecisionForm(forms.Form):
    """The decision on one agenda item; for an approved pre-approval one approved multiplier
    per activity, for an approved actual approval one actual credit per activity."""

    outcome = forms.ChoiceField(label=_("Outcome"))
    new_ends_on = forms.DateField(
        label=_("New end date"),
        required=False,
        widget=DATE,
        help_text=_("For an extension."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note_en = forms.CharField(
        label=_("Note (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to English readers; without it they see the Chinese."),
    )

    def __init__(self, *args, item, standard_of=None, **kwargs):
        # standard_of(agreement_id, mode) → (low, high): the page's ranges read at once
        # (committee.selectors.multiplier_standards); alone, the form asks for its own.
        self.item = item
        decision = getattr(item, "decision", None)
        initial = kwargs.setdefault("initial", {})
        if decision is not None:
            initial.update(
                {
                    "outcome": decision.outcome,
                    "note": decision.note,
                    "note_en": decision.note_en,
                    "new_ends_on": decision.new_ends_on,
                }
            )
        super().__init__(*args, **kwargs)
        allowed = OUTCOMES_BY_KIND.get(item.kind, set())
        self.fields["outcome"].choices = BLANK + [
            (value, label) for value, label in Outcome.choices if value in allowed
        ]
        if decision is not None and decision.amount_twd is not None:
            initial["amount_twd"] = decision.amount_twd
        if item.kind not in (AgendaKind.EXTENSION, AgendaKind.PENALTY):
            del self.fields["new_ends_on"]
        if item.kind == AgendaKind.PENALTY:
            # A shortfall: a penalty (not above the agreement's maximum) or a new end.
            cap = item.agreement.penalty_cap_twd
            self.fields["amount_twd"] = forms.DecimalField(
                label=_("Penalty (NT$)"),
                max_digits=18,
                decimal_places=0,
                min_value=Decimal("1"),
                required=False,
                help_text=(
                    _("If approved. At most NT$%(cap)s, the maximum set for this agreement.")
                    % {"cap": f"{cap:,.0f}"}
                    if cap is not None
                    else _("No maximum penalty is set for this agreement yet.")
                ),
            )
            self.fields["new_ends_on"].help_text = _("If extended: the new end of execution.")
        self.activity_field = {
            AgendaKind.PRE_APPROVAL: "approved_multiplier",
            AgendaKind.ACTUAL_APPROVAL: "actual_credits",
        }.get(item.kind)
        given = {
            str(row.get("activity")): row.get(self.activity_field)
            for row in (decision.activities if decision else [])
        }
        self.activity_rows = []
        for activity in item.case.activities.all() if self.activity_field else []:
            name = f"activity_{activity.pk}"
            if self.activity_field == "approved_multiplier":
                field = forms.DecimalField(
                    label=_("Approved multiplier"),
                    max_digits=6,
                    decimal_places=2,
                    min_value=Decimal("0.01"),
                    required=False,
                )
                default = activity.requested_multiplier
                if standard_of is not None:
                    low, high = standard_of(item.case.agreement_id, activity.mode)
                else:
                    low, high = agreement_selectors.multiplier_standard_for(
                        agreement=item.case.agreement, mode=activity.mode, on=item.meeting.held_on
                    )
                field.help_text = _("Standard %(low)s–%(high)s×") % {"low": low, "high": high}
            else:
                field = forms.DecimalField(
                    label=_("Actual credits"),
                    max_digits=18,
                    decimal_places=2,
                    min_value=Decimal("0"),
                    required=False,
                )
                default = activity.pre_approved_credits
            self.fields[name] = field
            self.initial.setdefault(name, given.get(str(activity.pk), default))
            self.activity_rows.append((activity, name))

    def activity_fields(self):
        """(activity, bound field) pairs, for the template."""
        return [(activity, self[name]) for activity, name in self.activity_rows]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.APPROVED and self.activity_field:
            for _activity, name in self.activity_rows:
                if data.get(name) is None:
                    self.add_error(name, _("Give this activity's figure."))
        if data.get("outcome") == Outcome.EXTENDED and not data.get("new_ends_on"):
            self.add_error("new_ends_on", _("An extension needs the new end date."))
        if (
            "amount_twd" in self.fields
            and data.get("outcome") == Outcome.APPROVED
            and data.get("amount_twd") is None
        ):
            self.add_error("amount_twd", _("A penalty needs its amount in NT$."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        activities = None
        if data["outcome"] == Outcome.APPROVED and self.activity_field:
            activities = [
                {"activity": activity.pk, self.activity_field: str(data[name])}
                for activity, name in self.activity_rows
            ]
        return {
            "outcome": data["outcome"],
            "note": data.get("note", ""),
            "note_en": data.get("note_en", ""),
            "activities": activities,
            "new_ends_on": data.get("new_ends_on"),
            "amount_twd": data.get("amount_twd"),
        }


class MinutesApproveForm(forms.Form):
    approved_on = forms.DateField(label=_("Minutes approved on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("approved_on", timezone.localdate())


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the conflict of interest"), widget=forms.Textarea(attrs={"rows": 2})
    )


class OpinionForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=BLANK + list(SubcommitteeOutcome.choices)
    )
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 4}))


class SteeringRequestForm(forms.Form):
    """A request of MOEA or MND to the policy steering meeting."""

    subject = forms.CharField(label=_("Subject"), max_length=300)
    requested_by = forms.ChoiceField(label=_("Requested by"), choices=Requester.choices)
    note = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea)


class FollowUpForm(forms.Form):
    """What was done about a steering resolution; the date once it is carried out."""

    progress = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}))
    carried_out_on = forms.DateField(
        label=_("Carried out on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
