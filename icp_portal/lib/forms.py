"""Helpers shared by the HTML views: a service's validation errors onto its form, and the
one pattern of every "fill a form, call a service" page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


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
    form: object,
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
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect(success(result))
    return render(request, template, {**context, "form": form})
