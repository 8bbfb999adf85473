"""``{% contractor_balance_charts organization %}``: a contractor's balances over time on
its organization page (the organizations app sits below agreements and does not import
it; the template asks for the charts here). Only the ledger the reader may see is drawn."""

from django import template
from django.utils.translation import gettext as _

from agreements.charts import balance_panels
from agreements.models import CreditEntry
from organizations.choices import OrganizationKind

register = template.Library()


@register.inclusion_tag("includes/chart_panels.html", takes_context=True)
def contractor_balance_charts(context, organization) -> dict:
    if organization.kind != OrganizationKind.FOREIGN_CONTRACTOR:
        return {"panels": []}
    entries = CreditEntry.objects.visible_to(context["request"].user).filter(
        agreement__contractor=organization
    )
    return {
        "panels": balance_panels(entries=entries, title=_("Balance of its agreements over time"))
    }
