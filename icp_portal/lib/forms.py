"""Helpers shared by the HTML views: the base of input-only model forms, a service's
validation errors onto its form, and the two patterns of every "fill a form, call a
service" page and small action form."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icp_portal.lib.errors import Conflict

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A quarter is picked, never typed (issue 14): one list for every form that asks.
QUARTERS = [
    (1, gettext_lazy("Q1 (January–March)")),
    (2, gettext_lazy("Q2 (April–June)")),
    (3, gettext_lazy("Q3 (July–September)")),
    (4, gettext_lazy("Q4 (October–December)")),
]


def quarter_field(label) -> forms.TypedChoiceField:
    """The quarter as a choice of four."""
    return forms.TypedChoiceField(label=label, coerce=int, choices=QUARTERS)


class InputForm(forms.ModelForm):
    """A model form that only checks input: the service builds the row and runs the
    model's validation (constraints, clean) itself, so it is not done twice."""

    def _post_clean(self):
        pass


def apply_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, so the page shows it and keeps the input."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def service_form_page(
    request,
    *,
    form: forms.BaseForm,
    call: Callable[[dict], object],
    template: str,
    context: dict,
    success: Callable[[object], str],
    message: str,
):
    """GET shows ``form``; a valid POST calls ``call(cleaned_data)`` (a service) and
    redirects to ``success(result)``; a refused POST shows the service's message."""
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except Conflict as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect(success(result))
    return render(request, template, {**context, "form": form})


def service_action(
    request,
    *,
    form,
    call: Callable[[dict], object],
    done_url: str,
    message: str,
    refused: Callable[[object], object],
    check: Callable[[], object] | None = None,
):
    """The one pattern of every small POST form on a detail page (a case, a meeting, a
    bill, a demand item): a valid form calls the service and redirects to ``done_url``
    with ``message``; a state conflict (409) is a message on the page it came from; refused
    input shows on the form (``refused(form)`` renders the page again). A refused role
    (``PermissionDenied``) is not caught: it is the 403 page. ``check`` asks the object's
    policy before the input is even read, so a refusal comes first."""
    if check is not None:
        try:
            check()
        except Conflict as exc:
            messages.error(request, str(exc))
            return redirect(done_url.split("#")[0])
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except Conflict as exc:
            messages.error(request, str(exc))
            return redirect(done_url.split("#")[0])
        except ValidationError as exc:
            apply_service_errors(form, exc)
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, message)
            return redirect(done_url)
    else:
        messages.error(request, _("The action was not done: see the form below."))
    return refused(form)
