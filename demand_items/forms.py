"""Forms of demand items: filing (with the expected benefit under the six criteria), a
panel member's score, opening a call round and the bare action buttons. They validate
input; services write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from demand_items.choices import Criterion
from demand_items.models import CallRound, DemandItem
from demand_items.selectors import open_rounds
from icp_portal.lib.forms import DATE, InputForm, quarter_field
from organizations.choices import OrganizationKind
from organizations.models import Organization

BENEFIT_PREFIX = "benefit_"


class RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.opens_on:%Y-%m-%d} – {obj.closes_on:%Y-%m-%d})"


class ProposerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DemandItemForm(InputForm):
    """A demand item as a proposing unit files it; one textarea per benefit criterion,
    gathered into ``expected_benefit`` ({criterion: text})."""

    round = RoundChoiceField(label=_("Call round"), queryset=CallRound.objects.none())

    class Meta:
        model = DemandItem
        fields = [
            "round",
            "title_zh",
            "title_en",
            "field",
            "source",
            "defence",
            "description",
            "technology_wanted",
            "firms",
            "total_need",
            "icp_share",
        ]

    def __init__(self, *args, staff: bool = False, with_round: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_round:
            self.fields["round"].queryset = open_rounds()
        else:
            del self.fields["round"]
        benefit = self.instance.expected_benefit if self.instance.pk else {}
        benefit = benefit if isinstance(benefit, dict) else {}
        for value, label in Criterion.choices:
            self.fields[f"{BENEFIT_PREFIX}{value}"] = forms.CharField(
                label=_("Expected benefit: %(criterion)s") % {"criterion": label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=benefit.get(value, ""),
            )
        if staff and not self.instance.pk:
            self.fields["proposer"] = ProposerChoiceField(
                label=_("Proposing unit"),
                queryset=Organization.objects.filter(kind=OrganizationKind.PROPOSING_UNIT).order_by(
                    "name_zh"
                ),
            )
        order = ["proposer", *self.Meta.fields]
        at = order.index("technology_wanted") + 1
        order[at:at] = [f"{BENEFIT_PREFIX}{value}" for value in Criterion.values]
        self.order_fields(order)

    def service_fields(self) -> dict:
        """The cleaned input as the service takes it (without the round)."""
        data = dict(self.cleaned_data)
        data.pop("round", None)
        benefit = {}
        for value, _label in Criterion.choices:
            text = (data.pop(f"{BENEFIT_PREFIX}{value}", "") or "").strip()
            if text:
                benefit[value] = text
        data["expected_benefit"] = benefit
        return data


class ScoreForm(forms.Form):
    """A panel member's overall score (0–100) of an item, with a comment."""

    score = forms.DecimalField(
        label=_("Score (0–100)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RoundOpenForm(InputForm):
    quarter = quarter_field(_("Quarter"))

    class Meta:
        model = CallRound
        fields = ["year", "quarter", "opens_on", "closes_on"]
        widgets = {"opens_on": DATE, "closes_on": DATE}


class ActionForm(forms.Form):
    """A button with nothing to fill in (submit, hold, publish, close scoring)."""
