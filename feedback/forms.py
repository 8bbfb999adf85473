"""Forms of feedback fees: payments, waivers and cancellations of a bill, and the office's
exchange and fee rates. They validate input; services write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.choices import PointsCurrency
from feedback.models import ExchangeRate, FeeRate
from icp_portal.lib.forms import DATE, InputForm

WHOLE_NT = _("Payments are in whole NT$.")


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    amount_twd = forms.DecimalField(
        label=_("Amount (NT$)"),
        max_digits=18,
        decimal_places=0,
        min_value=Decimal("1"),
        help_text=_("Whole NT$; at most what is still owed."),
        error_messages={"max_decimal_places": WHOLE_NT},
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("e.g. the bank transfer's number."),
    )

    def __init__(self, *args, **kwargs):
        # A string: the date input takes ISO dates, not the localized display.
        kwargs.setdefault("initial", {"paid_on": timezone.localdate().isoformat()})
        super().__init__(*args, **kwargs)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExchangeRateForm(InputForm):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "rate_twd", "effective_on"]
        widgets = {"effective_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # TWD points are always NT$1: only the other currencies take a rate.
        self.fields["currency"].choices = [
            (value, label)
            for value, label in PointsCurrency.choices
            if value != PointsCurrency.TWD_PTS
        ]
        self.fields["rate_twd"].help_text = _("NT$ per credit point, e.g. 30.0000.")
        self.fields["effective_on"].help_text = _(
            "Bills issued on or after this date use the rate."
        )


class FeeRateForm(InputForm):
    class Meta:
        model = FeeRate
        fields = ["mode", "rate", "effective_from"]
        widgets = {"effective_from": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rate"].help_text = _(
            "A fraction of the credits: 0.0070 for 7‰, 0.0030 for 3‰."
        )
        self.fields["effective_from"].help_text = _(
            "Bills issued on or after this date use the rate."
        )
