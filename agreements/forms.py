"""Forms of agreements and the ledger: they validate input; services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.choices import AgreementStatus
from agreements.models import (
    Agreement,
    Briefing,
    Guarantee,
    MultiplierStandard,
    PlanItem,
    Procurement,
)
from icp_portal.lib.forms import DATE, InputForm
from organizations.choices import OrganizationKind
from organizations.models import Organization


class ProcurementForm(InputForm):
    class Meta:
        model = Procurement
        fields = [
            "agency",
            "title_zh",
            "title_en",
            "contract_value",
            "contract_currency",
            "contract_signed_on",
            "defence",
            "value_usd",
            "icp_use",
        ]
        widgets = {"contract_signed_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Organization.objects.filter(
            kind=OrganizationKind.PROCURING_AGENCY
        ).order_by("name_zh")


class AgreementCreateForm(InputForm):
    class Meta:
        model = Agreement
        fields = [
            "number",
            "procurement",
            "contractor",
            "currency",
            "obligation",
            "signed_on",
            "execution_ends_on",
            "defence_ratio_min",
        ]
        widgets = {"signed_on": DATE, "execution_ends_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contractor"].queryset = Organization.objects.filter(
            kind=OrganizationKind.FOREIGN_CONTRACTOR
        ).order_by("name_en")
        self.fields["procurement"].queryset = Procurement.objects.order_by("-contract_signed_on")


class AgreementTermsForm(InputForm):
    class Meta:
        model = Agreement
        fields = ["number", "execution_ends_on", "defence_ratio_min", "penalty_cap_twd", "status"]
        widgets = {"execution_ends_on": DATE}


# The ledger note the reason becomes is shown to the contractor in their language.
ENGLISH_HELP = _("Shown to English readers; without it they see the Chinese.")


class AmendObligationForm(forms.Form):
    obligation = forms.DecimalField(
        label=_("New obligation"), max_digits=18, decimal_places=2, min_value=0
    )
    effective_on = forms.DateField(label=_("Effective on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    reason_en = forms.CharField(
        label=_("Reason (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=ENGLISH_HELP,
    )


class MultiplierStandardForm(InputForm):
    class Meta:
        model = MultiplierStandard
        fields = ["mode", "min_multiplier", "max_multiplier", "effective_from"]
        widgets = {"effective_from": DATE}


class PlanItemForm(InputForm):
    class Meta:
        model = PlanItem
        fields = ["mode", "title"]


class BriefingForm(InputForm):
    class Meta:
        model = Briefing
        fields = ["held_on", "title"]
        widgets = {"held_on": DATE}


class ReverseEntryForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    reason_en = forms.CharField(
        label=_("Reason (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=ENGLISH_HELP,
    )


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE)


class GuaranteeForm(InputForm):
    class Meta:
        model = Guarantee
        fields = ["kind", "issuer", "amount", "currency", "valid_from", "valid_until", "note"]
        widgets = {
            "valid_from": DATE,
            "valid_until": DATE,
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class GuaranteeReleaseForm(forms.Form):
    released_on = forms.DateField(
        label=_("Released on"), required=False, widget=DATE, help_text=_("Default: today.")
    )


def _meetings():
    # The meeting model is committee's (which agreements may not import): reach it through
    # the guarantee's own foreign key.
    meeting = Guarantee._meta.get_field("called_by_meeting").related_model
    return meeting._default_manager.filter(kind="promotion_committee").order_by("-held_on")


class GuaranteeCallForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting that decided the call"), queryset=Guarantee.objects.none()
    )
    called_on = forms.DateField(
        label=_("Called on"), required=False, widget=DATE, help_text=_("Default: today.")
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _meetings()


class AgreementCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Closed as"),
        choices=[
            (AgreementStatus.COMPLETED, AgreementStatus.COMPLETED.label),
            (AgreementStatus.TERMINATED, AgreementStatus.TERMINATED.label),
        ],
    )
    closed_on = forms.DateField(
        label=_("Closed on"), required=False, widget=DATE, help_text=_("Default: today.")
    )
