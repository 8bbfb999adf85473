"""Forms of cases: filing (with its activities), documents, the office's checks and
reviews, and the contractor's execution steps. They validate input; services write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.choices import Mode
from cases.choices import ChecklistResult, DocumentKind, OutcomeStage, SubcommitteeOutcome
from cases.models import Case
from cases.selectors import CONFIRMED
from icp_portal.lib.forms import DATE, InputForm, quarter_field
from organizations.choices import OrganizationKind
from organizations.models import Organization
from organizations.selectors import office_staff

BLANK = [("", "---------")]
MULTIPLIER = {"max_digits": 6, "decimal_places": 2, "min_value": Decimal("0")}


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class CaseForm(InputForm):
    """The case itself; its activities come in ``ActivityFormSet``."""

    class Meta:
        model = Case
        fields = [
            "title_en",
            "title_zh",
            "use",
            "field",
            "starts_on",
            "ends_on",
            "plan_item",
            "description",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": _text(4)}

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = agreement.plan_items.order_by("id")
        self.fields["plan_item"].required = False
        self.fields["plan_item"].help_text = _(
            "The item of the agreement's ICP plan it carries out."
        )


class RecipientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ActivityForm(forms.Form):
    """One activity row: mode, domestic recipient, value and requested multiplier."""

    mode = forms.ChoiceField(label=_("Mode"), choices=BLANK + list(Mode.choices))
    recipient = RecipientChoiceField(
        label=_("Domestic recipient"),
        queryset=Organization.objects.filter(kind=OrganizationKind.DOMESTIC_RECIPIENT).order_by(
            "name_zh"
        ),
    )
    value = forms.DecimalField(
        label=_("Value"), max_digits=18, decimal_places=2, min_value=Decimal("0.01")
    )
    requested_multiplier = forms.DecimalField(label=_("Requested multiplier"), **MULTIPLIER)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.update(
                {"class": f"{css} form-control-sm", "aria-label": field.label}
            )
            if name in ("value", "requested_multiplier"):
                field.widget.attrs.update({"step": "0.01", "inputmode": "decimal"})
        self.fields["mode"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["recipient"].widget.attrs["class"] = "form-select form-select-sm"


ActivityFormSet = forms.formset_factory(ActivityForm, extra=1, can_delete=True)


def activities_of(formset) -> list[dict]:
    """The rows the contractor kept: filled in and not marked for removal."""
    return [
        {
            key: form.cleaned_data[key]
            for key in ("mode", "recipient", "value", "requested_multiplier")
        }
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_mode_display()} · {obj.recipient.name}"


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    activity = ActivityChoiceField(
        label=_("Activity"),
        queryset=None,
        required=False,
        help_text=_("For a commitment: the activity (recipient) it is for."),
    )
    file = forms.FileField(
        label=_("File (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = case.activities.select_related("recipient")


class ChecklistConfirmForm(forms.Form):
    code = forms.ChoiceField(choices=list(CONFIRMED.items()), widget=forms.HiddenInput)
    result = forms.ChoiceField(label=_("Result"), choices=ChecklistResult.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ActionForm(forms.Form):
    """A transition without input (submit, start the checklist)."""


ENGLISH_HELP = _("Shown to English readers; without it they see the Chinese.")


class InitialReviewForm(forms.Form):
    opinion = forms.CharField(label=_("Initial review opinion"), widget=_text(4))
    opinion_en = forms.CharField(
        label=_("Initial review opinion (English)"),
        required=False,
        widget=_text(3),
        help_text=ENGLISH_HELP,
    )


class SupplementRequestForm(forms.Form):
    request = forms.CharField(label=_("What the contractor must supply"), widget=_text(3))
    request_en = forms.CharField(
        label=_("What the contractor must supply (English)"),
        required=False,
        widget=_text(3),
        help_text=ENGLISH_HELP,
    )


class SubcommitteeOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Sub-committee outcome"), choices=BLANK + list(SubcommitteeOutcome.choices)
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=_text(2),
        help_text=_("For “supplementary material required”: what the contractor must supply."),
    )
    note_en = forms.CharField(
        label=_("Note (English)"), required=False, widget=_text(2), help_text=ENGLISH_HELP
    )


class AssignForm(forms.Form):
    """Who in the office handles the case (承辦人); empty takes it back."""

    assignee = forms.ModelChoiceField(
        label=_("Handled by"),
        queryset=office_staff(),
        required=False,
        empty_label=_("Nobody yet"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].label_from_instance = lambda user: user.display_name


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=_text(2))


class ActualApprovalRequestForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=_text(2))


class ProgressReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = quarter_field(_("Quarter"))
    percent_complete = forms.IntegerField(label=_("Percent complete"), min_value=0, max_value=100)
    progress = forms.CharField(label=_("Progress"), widget=_text(4))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = timezone.localdate()
            # The report usually covers the quarter that just ended.
            quarter = (today.month - 1) // 3
            year = today.year if quarter else today.year - 1
            self.initial.setdefault("year", year)
            self.initial.setdefault("quarter", quarter or 4)


class TransferCompletedForm(forms.Form):
    completed_on = forms.DateField(
        label=_("Technology transfer completed on"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )


class CheckpointForm(forms.Form):
    title = forms.CharField(label=_("Checkpoint"), max_length=300)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))


class CheckpointDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Reached on"), widget=forms.DateInput(attrs={"type": "date"}))


class OutcomeForm(forms.Form):
    """The office records what an actually approved case brought at one stage (§14)."""

    stage = forms.ChoiceField(label=_("Stage"), choices=OutcomeStage.choices)
    as_of = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    technologies = forms.CharField(
        label=_("Technologies introduced"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One technology per line."),
    )
    investment_twd = forms.DecimalField(
        label=_("Investment (NT$)"), min_value=0, max_digits=18, decimal_places=0, initial=0
    )
    orders_twd = forms.DecimalField(
        label=_("Orders (NT$)"), min_value=0, max_digits=18, decimal_places=0, initial=0
    )
    added_output_twd = forms.DecimalField(
        label=_("Added output (NT$)"), min_value=0, max_digits=18, decimal_places=0, initial=0
    )
    people_trained = forms.IntegerField(
        label=_("People trained"), min_value=0, max_value=10**9, initial=0
    )
    jobs = forms.IntegerField(label=_("Jobs"), min_value=0, max_value=10**9, initial=0)
    incrementality = forms.CharField(
        label=_("Incrementality"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What would not have happened without the case."),
    )

    def clean_technologies(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["technologies"].splitlines() if line.strip()
        ]
