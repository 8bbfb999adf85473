"""``{% decision_letters case %}``: the case page lists its decision letters (the cases
app sits below reports and does not import it; the template asks here)."""

from django import template

from reports import selectors

register = template.Library()


@register.inclusion_tag("reports/_case_letters.html", takes_context=True)
def decision_letters(context, case) -> dict:
    return {
        "case": case,
        "letters": selectors.case_letters(case=case, user=context["request"].user),
    }
