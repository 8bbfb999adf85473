"""The API answers as its OpenAPI schema says (api.md "Conventions"), for any input.

Schemathesis generates requests for every operation of ``/api/schema/`` (valid ones from
the schema, and invalid ones) and sends them through the WSGI application, as the office
(staff token) and as contractor A's member (contractor token). Every answer must be:

- never a 5xx;
- a status code the operation documents, or one of the standard errors of api.md
  (400, 401, 403, 404, 405, 409, 415);
- of a documented content type, and for a documented status code, a body matching the
  documented schema (nullable fields, pagination envelope, 201 on creation).

Path parameters are drawn from one small world of real objects (tests/portal/
matrix_fixtures.py), so requests reach the objects' code and not only the 404 of an
unknown id. Every request runs in a savepoint that is rolled back: the world stays the same
whatever the order of requests. Generation is derandomized (the same examples on every run)
and bounded per operation; a total time budget lowers the number of examples for the
operations left if a slow machine would take longer (logged, never failing).

Every failing operation is listed at the end (each failure's title and message, and the
request as schemathesis's curl command, to replay it); the full reports are in the
captured output.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.portal.matrix_fixtures import PDF, build_world

# Per operation and actor: examples of valid data, then of invalid data. A deeper run by
# hand: FUZZ_POSITIVE=200 FUZZ_NEGATIVE=100 FUZZ_BUDGET=3600 pytest tests/portal/test_fuzz.py
POSITIVE_EXAMPLES = int(os.environ.get("FUZZ_POSITIVE", 8))
NEGATIVE_EXAMPLES = int(os.environ.get("FUZZ_NEGATIVE", 4))
# Past this many seconds per actor the remaining operations get the minimum below: the
# module stays within its budget on a slow CI machine (the coverage, not the verdict, drops).
TIME_BUDGET_SECONDS = int(os.environ.get("FUZZ_BUDGET", 45))
MINIMUM_EXAMPLES = 3

# The standard errors of api.md "Conventions", which an operation need not declare one by
# one: field errors, no credentials, not allowed, not visible, wrong method, wrong state,
# unsupported media type.
STANDARD_ERRORS = {400, 401, 403, 404, 405, 409, 415}

ACTORS = ("staff", "contractor_a")


@schemathesis.check
def documented_or_standard_status(ctx, response, case):
    """The status is one the operation documents, or a standard error of api.md."""
    documented = {code for code in case.operation.responses.status_codes if code.isdigit()}
    if str(response.status_code) in documented or response.status_code in STANDARD_ERRORS:
        return None
    raise AssertionError(
        f"{case.operation.label} answered {response.status_code}; documented: "
        f"{', '.join(sorted(documented))}, standard errors: "
        f"{', '.join(map(str, sorted(STANDARD_ERRORS)))}"
    )


@schemathesis.check
def errors_are_json(ctx, response, case):
    """Errors under /api/ are JSON (api.md: "JSON only", "unknown URLs answer a JSON 404")."""
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])[0]
        if not content_type.startswith("application/json"):
            raise AssertionError(
                f"{case.operation.label} answered {response.status_code} as {content_type!r}"
            )
    return None


CHECKS = [
    not_a_server_error,
    documented_or_standard_status,
    content_type_conformance,
    response_schema_conformance,
    errors_are_json,
]


# --- The world, once per module -----------------------------------------------------------


@contextmanager
def _connection_kept_across_requests():
    """A real WSGI request closes the database connection when it ends (Django's
    ``close_old_connections``), which would end the module's transaction; Django's test
    client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once inside a transaction rolled back after the module (as the matrix's)."""
    from django.test import override_settings

    from cases.models import Case
    from committee.models import Meeting

    media = tmp_path_factory.mktemp("fuzz-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        _connection_kept_across_requests(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = build_world()
            w.ids["meeting_panel"] = Meeting.objects.get(kind="demand_panel").pk
            w.ids["case_billed"] = Case.objects.get(title_en="實核").pk
            w.media_root = media
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def api_schema(world):
    from django.core.wsgi import get_wsgi_application

    return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def _world_media(world, settings):
    settings.MEDIA_ROOT = world.media_root


@pytest.fixture(autouse=True)
def _fast_pdf(monkeypatch):
    """The payment notice's rendering is tested elsewhere (tests/feedback); here only that
    the endpoint answers a PDF as documented."""
    import feedback.pdf

    monkeypatch.setattr(feedback.pdf, "payment_notice_pdf", lambda bill, *a, **k: PDF)


# --- Path parameters: real objects of the world -------------------------------------------

# The first segment after /api/v1/ → the world's ids to try for {id}.
ID_CHOICES = {
    "organizations": ("org_a", "org_recipient", "org_proposer", "org_b"),
    "procurements": ("procurement_a", "procurement_b", "procurement_plan"),
    "agreements": ("agreement_a", "agreement_b"),
    "bills": ("bill",),
    "penalties": ("penalty",),
    "call-rounds": ("round",),
    "cases": (
        "case_draft",
        "case_submitted",
        "case_checklist",
        "case_initial",
        "case_sub",
        "case_exec",
        "case_billed",
        "case_withdrawn",
        "case_b",
    ),
    "demand-items": ("item_draft", "item_submitted", "item_passed", "item_published"),
    "meetings": ("meeting_sub", "meeting_promo", "meeting_done", "meeting_panel", "meeting_steer"),
    "notifications": ("notification_staff", "notification_a"),
    "public": ("item_published", "item_draft"),
    "reviewers": ("reviewer_profile",),
    "reports": ("report",),
}
# Nested ids belong to one parent: (parent id, nested id) pairs.
NESTED_CHOICES = {
    "entry_id": (("agreement_a", "entry_a"),),
    "guarantee_id": (("agreement_a", "guarantee_a"),),
    "checkpoint_id": (("case_exec", "checkpoint_exec"),),
    "follow_up_id": (("meeting_steer", "follow_up"),),
    "document_id": (("case_sub", "doc_sub"), ("case_b", "doc_b")),
}


def _path_parameters(operation, ids) -> st.SearchStrategy[dict]:
    names = [p.name for p in operation.path_parameters]
    if not names:
        return st.just({})
    nested = [name for name in names if name in NESTED_CHOICES]
    if nested:
        pairs = NESTED_CHOICES[nested[0]]
        return st.sampled_from([{"id": ids[a], nested[0]: ids[b]} for a, b in pairs])
    resource = operation.path.removeprefix("/api/v1/").split("/")[0]
    return st.sampled_from([{"id": ids[name]} for name in ID_CHOICES[resource]])


# --- The run ------------------------------------------------------------------------------


def _strategy(operation, ids, mode) -> st.SearchStrategy:
    if mode == GenerationMode.NEGATIVE and not (list(operation.query) or list(operation.body)):
        # Only the path can be wrong: invalid ids, which must answer a JSON 404.
        return operation.as_strategy(generation_mode=mode)
    return _path_parameters(operation, ids).flatmap(
        lambda path: operation.as_strategy(generation_mode=mode, path_parameters=path)
    )


def _run_operation(operation, *, ids, headers, mode, examples, failures, statuses):
    if mode == GenerationMode.NEGATIVE and not (
        list(operation.path_parameters) or list(operation.query) or list(operation.body)
    ):
        return  # no input at all (POST /notifications/read-all/): nothing to send wrong
    strategy = _strategy(operation, ids, mode)

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=strategy)
    def run(case):
        with transaction.atomic():
            try:
                response = case.call(headers=headers)
                statuses[response.status_code] += 1
                case.validate_response(response, checks=CHECKS, headers=headers)
            finally:
                transaction.set_rollback(True)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # every operation's failures are listed
        print(f"\n=== {operation.label} [{mode.value}]\n{exc}")  # in full, in the captured output
        failures.append(f"{operation.label} [{mode.value}]\n{_summary(exc)}")


def _summary(exc: BaseException) -> str:
    """Each failure's title and the first lines of its message, and the request."""
    found = exc.exceptions if isinstance(exc, BaseExceptionGroup) else (exc,)
    lines = []
    for failure in found:
        title = getattr(failure, "title", type(failure).__name__)
        message = getattr(failure, "message", str(failure)).strip().splitlines()
        lines.append(f"  - {title}: " + " / ".join(message[:3]))
    lines += [f"    {line.strip()}" for line in str(exc).splitlines() if "curl " in line]
    return "\n".join(lines)


@pytest.mark.parametrize("actor", ACTORS)
def test_every_operation_answers_as_the_schema_says(world, api_schema, db, actor):
    headers = {"Authorization": f"Token {world.tokens[actor]}", "Accept-Language": "en"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 90  # the whole API, not an empty schema

    failures: list[str] = []
    statuses: Counter[int] = Counter()
    started = time.monotonic()
    for operation in operations:
        over_budget = time.monotonic() - started > TIME_BUDGET_SECONDS
        for mode, examples in (
            (GenerationMode.POSITIVE, POSITIVE_EXAMPLES),
            (GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES),
        ):
            _run_operation(
                operation,
                ids=world.ids,
                headers=headers,
                mode=mode,
                examples=MINIMUM_EXAMPLES if over_budget else examples,
                failures=failures,
                statuses=statuses,
            )
    elapsed = time.monotonic() - started
    print(
        f"\nfuzz[{actor}]: {len(operations)} operations, {statuses.total()} requests, "
        f"{elapsed:.0f}s{' (over budget: examples reduced)' if over_budget else ''}; "
        + ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    )
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
