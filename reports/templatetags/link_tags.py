"""Links both ways on the detail pages (issue #14): the lower apps' templates ask here for
the records related to theirs that the reader may open (``reports.links``).

- ``{% visible_ids "meeting" ledger "1.meeting_id" as meeting_ids %}``: of the ids found
  on the rows (or one record) at the paths given, those the reader may open (one query);
  link only ``{% if id in ids %}``.
- ``{% agreement_cases agreement %}``, ``{% case_bills case %}``: the related lists,
  each a small table of links;
  ``{% organization_records organization as records %}`` the organization's.
"""

from django import template

from reports import links

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def visible_ids(context, kind: str, rows, *paths: str) -> frozenset[int]:
    return links.visible_ids(user=_user(context), kind=kind, rows=rows, paths=paths or ("pk",))


@register.inclusion_tag("reports/_agreement_cases.html", takes_context=True)
def agreement_cases(context, agreement) -> dict:
    return {
        "agreement": agreement,
        "cases": links.agreement_cases(agreement=agreement, user=_user(context)),
    }


@register.inclusion_tag("reports/_case_bills.html", takes_context=True)
def case_bills(context, case) -> dict:
    return {"case": case, "bills": links.case_bills(case=case, user=_user(context))}


@register.simple_tag(takes_context=True)
def organization_records(context, organization) -> dict:
    """Use as ``{% organization_records organization as records %}``, then include
    ``reports/_organization_records.html``; ``records.bills.total`` says whether the
    reader sees the organization's bills (its fee-blocked badge then links to them)."""
    return links.organization_records(organization=organization, user=_user(context))
