"""The permission matrix: every API endpoint and every page of the portal, for each actor
of the shared set, answers exactly the status code the rules give (api.md "Conventions",
architecture.md "Where logic lives", domain.md §2).

- 401 without credentials (API); a page sends an anonymous visitor to the sign-in page
  (302), except the public pages (catalogue, sign-in, password links).
- 404 when the object is not visible to the caller (never 403 for another tenant's data).
- 403 when the caller sees the object but their role may not take the action; a
  read-only API token gets 403 on every unsafe method.
- 409 when the role may act but the object's status does not allow it (role before state).

The table is data (NetBox's generic view tests are the model). One world of objects is
built once per module (tests/portal/matrix_fixtures.py); every request runs in a savepoint
that is rolled back, so a write by one row never leaks into the next.
`test_every_url_pattern_has_a_row` fails when a new endpoint or page has no row.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from rest_framework.test import APIClient

from tests.portal.matrix_fixtures import ACTORS, PDF, World, build_world, pdf

LOGIN = "login"  # a page: 302 to the sign-in page
AUTH = tuple(a for a in ACTORS if a != "anonymous")
PEOPLE = tuple(a for a in AUTH if a != "token_ro")  # who signs in to pages

# Who sees what (api.md: contractors their own; a reviewer the meetings they sit on and
# the cases on those agendas; a recipient its own bills; a proposing unit its own demand
# items; contractors and the panel items past filing; a procuring agency, read-only, the
# procurements, agreements, ledgers and cases of its own purchases, not their documents).
A_SIDE = ("contractor_a", "agency")  # contractor A's agreement, procurement, cases (agency A reads)
SUB_CASE = (*A_SIDE, "reviewer")  # the case on the reviewer's sub-committee agenda
MEETING = ("reviewer",)
BILL = ("recipient",)
ITEM_DRAFT = ("proposer",)
ITEM_SUBMITTED = ("proposer", "reviewer")
ITEM_PASSED = ("proposer", "reviewer", "contractor_a", "contractor_b")


@dataclass(frozen=True)
class Row:
    kind: str  # "api" or "page"
    method: str
    path: str  # with {placeholders} from World.ids
    name: str  # the URL pattern's name: the completeness check keys on it
    expected: dict  # actor → status code (or LOGIN)
    body: object = None  # dict, or a callable returning one (uploads)
    note: str = ""

    @property
    def id(self) -> str:
        suffix = f"[{self.note}]" if self.note else ""
        return f"{self.kind}:{self.method}:{self.name}{suffix}"


def _merge(base: dict, overrides: dict) -> dict:
    unknown = set(overrides) - set(ACTORS)
    assert not unknown, unknown
    return {**base, **overrides}


# --- API expectations -------------------------------------------------------------------


def everyone(code=200, **overrides) -> dict:
    """A read every signed-in caller may make (lists are filtered by visibility)."""
    return _merge({**dict.fromkeys(AUTH, code), "anonymous": 401}, overrides)


def read(*seers, **overrides) -> dict:
    """GET of an object: staff and those who see it 200, the rest 404."""
    base = {a: 200 if a in ("staff", "token_ro", *seers) else 404 for a in AUTH}
    return _merge({**base, "anonymous": 401}, overrides)


def staff_read(**overrides) -> dict:
    """A staff-only read of a collection: everyone else 403 (nothing tenant-scoped)."""
    base = {a: 200 if a in ("staff", "token_ro") else 403 for a in AUTH}
    return _merge({**base, "anonymous": 401}, overrides)


def write(code, doers, seers=(), **overrides) -> dict:
    """An unsafe method on an object: doers get ``code``, those who only see it 403,
    the rest 404; the read-only token 403."""
    base = {}
    for actor in PEOPLE:
        if actor in doers:
            base[actor] = code
        elif actor in seers or actor == "staff":
            base[actor] = 403
        else:
            base[actor] = 404
    return _merge({**base, "token_ro": 403, "anonymous": 401}, overrides)


def create(code, doers, **overrides) -> dict:
    """An unsafe method on a collection: doers ``code``, every other role 403."""
    base = {a: code if a in doers else 403 for a in PEOPLE}
    return _merge({**base, "token_ro": 403, "anonymous": 401}, overrides)


STAFF = ("staff",)
ROUND_READERS = staff_read(proposer=200, reviewer=200)


# --- Page expectations ------------------------------------------------------------------


def _page(base: dict, overrides: dict) -> dict:
    return _merge({**base, "anonymous": LOGIN}, overrides)


def page(*allowed, other=403, **overrides) -> dict:
    """A page of a role: the allowed roles 200, the others ``other``."""
    return _page({a: 200 if a in allowed else other for a in PEOPLE}, overrides)


def page_read(*seers, **overrides) -> dict:
    """A page of an object: staff and those who see it 200, the rest 404."""
    return _page({a: 200 if a in ("staff", *seers) else 404 for a in PEOPLE}, overrides)


def page_post(doers, seers=(), code=302, **overrides) -> dict:
    """A form POST about an object: doers are redirected (done, or refused by state with a
    message), those who only see it 403, the rest 404."""
    base = {}
    for actor in PEOPLE:
        if actor in doers:
            base[actor] = code
        elif actor in seers or actor == "staff":
            base[actor] = 403
        else:
            base[actor] = 404
    return _page(base, overrides)


def public(code=200) -> dict:
    return dict.fromkeys([*PEOPLE, "anonymous"], code)


def upload(kind="progress_evidence"):
    return lambda: {"kind": kind, "file": pdf(f"{kind}.pdf")}


# --- The table --------------------------------------------------------------------------

V1 = "/api/v1"

API_ROWS = [
    Row("api", "GET", f"{V1}/", "api-root", everyone()),
    # Parties and people. Staff write.
    Row("api", "GET", f"{V1}/organizations/", "organization-list", everyone()),
    Row(
        "api",
        "POST",
        f"{V1}/organizations/",
        "organization-list",
        create(201, STAFF),
        {"kind": "proposing_unit", "name_zh": "新提案單位", "name_en": "New Unit", "country": "TW"},
    ),
    Row(
        "api", "GET", f"{V1}/organizations/{{org_a}}/", "organization-detail", read("contractor_a")
    ),
    Row(
        "api",
        "GET",
        f"{V1}/organizations/{{org_recipient}}/",
        "organization-detail",
        everyone(),
        note="public kind",
    ),
    Row(
        "api",
        "PATCH",
        f"{V1}/organizations/{{org_a}}/",
        "organization-detail",
        write(200, STAFF, ("contractor_a",)),
        {"note": "matrix"},
    ),
    Row(
        "api",
        "PATCH",
        f"{V1}/organizations/{{org_recipient}}/",
        "organization-detail",
        write(200, STAFF, PEOPLE),
        {"note": "matrix"},
        note="public kind",
    ),
    # Members: staff and the organization's managers read (a plain member 403); staff add.
    Row(
        "api",
        "GET",
        f"{V1}/organizations/{{org_a}}/members/",
        "organization-members",
        read(contractor_a=403),
    ),
    Row(
        "api",
        "POST",
        f"{V1}/organizations/{{org_recipient}}/members/",
        "organization-members",
        write(201, STAFF, PEOPLE),
        {"username": "mx-new-member", "email": "new@example.org", "name": "New Member"},
    ),
    Row(
        "api",
        "GET",
        f"{V1}/organizations/{{org_a}}/balance/",
        "organization-balance",
        read("contractor_a"),
    ),
    Row("api", "GET", f"{V1}/reviewers/", "reviewer-list", everyone()),
    Row(
        "api",
        "POST",
        f"{V1}/reviewers/",
        "reviewer-list",
        create(201, STAFF),
        {
            "username": "mx-new-reviewer",
            "email": "rev@example.org",
            "name": "New Reviewer",
            "kind": "expert",
            "affiliation": "清華大學",
        },
    ),
    Row("api", "GET", f"{V1}/reviewers/{{reviewer_profile}}/", "reviewer-detail", read("reviewer")),
    # The inbox: each caller's own notices only (another's is 404); the read-only token
    # reads its person's (staff's) but marks nothing.
    Row("api", "GET", f"{V1}/notifications/", "notification-list", everyone()),
    Row(
        "api",
        "GET",
        f"{V1}/notifications/{{notification_staff}}/",
        "notification-detail",
        read(),
    ),
    Row(
        "api",
        "POST",
        f"{V1}/notifications/{{notification_staff}}/read/",
        "notification-read",
        write(200, STAFF),
    ),
    Row(
        "api",
        "POST",
        f"{V1}/notifications/{{notification_a}}/read/",
        "notification-read",
        write(200, ("contractor_a",), staff=404),
        note="contractor A's",
    ),
    Row(
        "api",
        "POST",
        f"{V1}/notifications/read-all/",
        "notification-read-all",
        create(200, PEOPLE),
    ),
    Row(
        "api",
        "PATCH",
        f"{V1}/reviewers/{{reviewer_profile}}/",
        "reviewer-detail",
        write(200, STAFF, ("reviewer",)),
        {"affiliation": "交通大學"},
    ),
    # Agreements and credits. Staff write; contractor A and agency A read A's.
    Row("api", "GET", f"{V1}/procurements/", "procurement-list", everyone()),
    Row(
        "api",
        "POST",
        f"{V1}/procurements/",
        "procurement-list",
        create(201, STAFF),
        {
            "title_zh": "新購案",
            "title_en": "New procurement",
            "agency": "{org_agency}",
            "contract_value": "1000000.00",
            "contract_currency": "USD",
            "contract_signed_on": "2011-05-01",
        },
    ),
    Row(
        "api",
        "GET",
        f"{V1}/procurements/{{procurement_a}}/",
        "procurement-detail",
        read(*A_SIDE),
    ),
    Row(
        "api",
        "PATCH",
        f"{V1}/procurements/{{procurement_a}}/",
        "procurement-detail",
        write(200, STAFF, A_SIDE),
        {"title_en": "Renamed"},
    ),
    # The procurement pipeline (domain.md §12): staff move it; agency A reads its own.
    *[
        Row("api", "GET", f"{V1}/procurements/{{procurement_plan}}/{sub}/", name, read("agency"))
        for sub, name in (
            ("assessments", "procurement-assessments"),
            ("team", "procurement-team"),
            ("negotiations", "procurement-negotiations"),
            ("planned-items", "procurement-planned-items"),
        )
    ],
    Row(
        "api",
        "POST",
        f"{V1}/procurements/{{procurement_plan}}/assessments/",
        "procurement-assessments",
        write(201, STAFF, ("agency",)),
        {"item": "雷達維修能量", "result": "buildable_through_icp"},
    ),
    *[
        Row(
            "api",
            "POST",
            f"{V1}/procurements/{{procurement_plan}}/{sub}/",
            name,
            write(409, STAFF, ("agency",)),
            body,
            note="planning",
        )
        for sub, name, body in (
            ("team", "procurement-team", {"name": "林上校", "ministry": "mnd", "leader": True}),
            (
                "negotiations",
                "procurement-negotiations",
                {"held_on": "2011-03-01", "counterpart": "Raytheon"},
            ),
            (
                "planned-items",
                "procurement-planned-items",
                {"demand_item": "{item_published}", "mode": "training"},
            ),
            ("loa", "procurement-loa", {"loa_signed_on": "2011-02-28"}),
            (
                "specification",
                "procurement-specification",
                {
                    "icp_ratio_min": "0.4000",
                    "issued_on": "2011-02-01",
                    "standards": [
                        {"mode": "training", "min_multiplier": "1", "max_multiplier": "1"}
                    ],
                },
            ),
        )
    ],
    *[
        Row(
            "api",
            "POST",
            f"{V1}/procurements/{{procurement_a}}/{sub}/",
            name,
            write(409, STAFF, A_SIDE),
            {},
            note="signed",
        )
        for sub, name in (
            ("assess", "procurement-assess"),
            ("start-negotiation", "procurement-start-negotiation"),
            ("commit", "procurement-commit"),
        )
    ],
    Row(
        "api",
        "POST",
        f"{V1}/procurements/{{procurement_plan}}/no-icp/",
        "procurement-no-icp",
        write(200, STAFF, ("agency",)),
        {"reason": "民用採購，適用 GPA"},
    ),
    Row("api", "GET", f"{V1}/agreements/", "agreement-list", everyone()),
    Row(
        "api",
        "POST",
        f"{V1}/agreements/",
        "agreement-list",
        create(201, STAFF),
        {
            "number": "ICP-MX-NEW",
            "procurement": "{procurement_b}",
            "contractor": "{org_a}",
            "currency": "USD_PTS",
            "obligation": "1000.00",
            "signed_on": "2011-05-01",
            "execution_ends_on": "2020-12-31",
        },
    ),
    Row("api", "GET", f"{V1}/agreements/{{agreement_a}}/", "agreement-detail", read(*A_SIDE)),
    Row(
        "api",
        "PATCH",
        f"{V1}/agreements/{{agreement_a}}/",
        "agreement-detail",
        write(200, STAFF, A_SIDE),
        {"execution_ends_on": "2022-12-31"},
    ),
    Row(
        "api",
        "PATCH",
        f"{V1}/agreements/{{agreement_b}}/",
        "agreement-detail",
        write(200, STAFF, ("contractor_b",)),
        {"execution_ends_on": "2022-12-31"},
        note="B",
    ),
    Row(
        "api",
        "POST",
        f"{V1}/agreements/{{agreement_a}}/amend-obligation/",
        "agreement-amend-obligation",
        write(201, STAFF, A_SIDE),
        {"obligation": "950000000.00", "effective_on": "2011-06-01", "reason": "amendment"},
    ),
    Row(
        "api",
        "GET",
        f"{V1}/agreements/{{agreement_a}}/balance/",
        "agreement-balance",
        read(*A_SIDE),
    ),
    Row(
        "api",
        "GET",
        f"{V1}/agreements/{{agreement_a}}/briefings/",
        "agreement-briefings",
        read(*A_SIDE),
    ),
    Row(
        "api",
        "POST",
        f"{V1}/agreements/{{agreement_a}}/briefings/",
        "agreement-briefings",
        write(201, STAFF, A_SIDE),
        {"held_on": "2011-03-01", "title": "第二場說明會"},
    ),
    # Guarantees (domain.md §13): whoever sees the agreement reads them; staff write.
    Row(
        "api",
        "GET",
        f"{V1}/agreements/{{agreement_a}}/guarantees/",
        "agreement-guarantees",
        read(*A_SIDE),
    ),
    Row(
        "api",
        "POST",
        f"{V1}/agreements/{{agreement_a}}/guarantees/",
        "agreement-guarantees",
        write(201, STAFF, A_SIDE),
        {
            "kind": "letter_of_guarantee",
            "issuer": "Citibank, N.A.",
            "amount": "1000000.00",
            "currency": "USD",
            "valid_from": "2011-02-01",
            "valid_until": "2013-02-01",
        },
    ),
    Row(
        "api",
        "POST",
        f"{V1}/agreements/{{agreement_a}}/guarantees/{{guarantee_a}}/release/",
        "agreement-release-guarantee",
        write(200, STAFF, A_SIDE),
        {"released_on": "2011-06-01"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/agreements/{{agreement_a}}/guarantees/{{guarantee_a}}/call/",
        "agreement-call-guarantee",
        write(200, STAFF, A_SIDE),
        {"meeting": "{meeting_done}", "called_on": "2011-06-01"},
    ),
    Row(
        "api", "GET", f"{V1}/agreements/{{agreement_a}}/ledger/", "agreement-ledger", read(*A_SIDE)
    ),
    Row(
        "api",
        "GET",
        f"{V1}/agreements/{{agreement_a}}/multipliers/",
        "agreement-multipliers",
        read(*A_SIDE),
    ),
    Row(
        "api",
        "POST",
        f"{V1}/agreements/{{agreement_a}}/multipliers/",
        "agreement-multipliers",
        write(201, STAFF, A_SIDE),
        {
            "mode": "training",
            "min_multiplier": "1",
            "max_multiplier": "1",
            "effective_from": "2011-01-10",
        },
    ),
    Row(
        "api",
        "GET",
        f"{V1}/agreements/{{agreement_a}}/plan-items/",
        "agreement-plan-items",
        read(*A_SIDE),
    ),
    Row(
        "api",
        "POST",
        f"{V1}/agreements/{{agreement_a}}/plan-items/",
        "agreement-plan-items",
        write(201, STAFF, A_SIDE),
        {"mode": "training", "title": "訓練"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/agreements/{{agreement_a}}/ledger/{{entry_a}}/reverse/",
        "agreement-reverse-entry",
        write(201, STAFF, A_SIDE),
        {"reason": "entered twice"},
    ),
    Row("api", "GET", f"{V1}/balances/", "balance-list", everyone()),
    # Cases.
    Row("api", "GET", f"{V1}/cases/", "case-list", everyone()),
    Row(
        "api",
        "POST",
        f"{V1}/cases/",
        "case-list",
        # Contractor B names A's agreement: invisible to it, so a field error like a
        # nonexistent id (never a 403 that confirms the agreement exists).
        create(201, ("staff", "contractor_a"), contractor_b=400),
        {
            "agreement": "{agreement_a}",
            "title_zh": "新個案",
            "title_en": "New case",
            "use": "industry",
            "field": "aerospace",
            "starts_on": "2011-07-01",
            "ends_on": "2013-06-30",
            "activities": [
                {
                    "mode": "domestic_procurement",
                    "recipient": "{org_recipient}",
                    "value": "1000.00",
                    "requested_multiplier": "2.00",
                }
            ],
        },
    ),
    Row("api", "GET", f"{V1}/cases/{{case_sub}}/", "case-detail", read(*SUB_CASE)),
    Row("api", "GET", f"{V1}/cases/{{case_b}}/", "case-detail", read("contractor_b"), note="B"),
    Row(
        "api",
        "PATCH",
        f"{V1}/cases/{{case_draft}}/",
        "case-detail",
        write(200, ("staff", "contractor_a"), A_SIDE),
        {"title_en": "Renamed"},
    ),
    Row(
        "api",
        "PATCH",
        f"{V1}/cases/{{case_sub}}/",
        "case-detail",
        write(409, ("staff", "contractor_a"), SUB_CASE),
        {"title_en": "Renamed"},
        note="under review",
    ),
    Row("api", "GET", f"{V1}/cases/{{case_sub}}/checklist/", "case-checklist", read(*SUB_CASE)),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_checklist}}/checklist/",
        "case-checklist",
        write(200, STAFF, A_SIDE),
        {"code": "forms_complete", "result": "pass"},
    ),
    Row("api", "GET", f"{V1}/cases/{{case_exec}}/checkpoints/", "case-checkpoints", read(*A_SIDE)),
    # Outcomes (issue 12): read with the case; the office records them after the actual
    # approval (a case under review: 409 for the office, 403 for those who only see it).
    Row("api", "GET", f"{V1}/cases/{{case_sub}}/outcomes/", "case-outcomes", read(*SUB_CASE)),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_sub}}/outcomes/",
        "case-outcomes",
        write(409, STAFF, SUB_CASE),
        {"stage": "at_approval", "as_of": "2011-12-06", "incrementality": "matrix"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_exec}}/checkpoints/",
        "case-checkpoints",
        write(201, ("staff", "contractor_a"), A_SIDE),
        {"title": "Q3 milestone", "due_on": "2011-09-30"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_exec}}/checkpoints/{{checkpoint_exec}}/done/",
        "case-checkpoint-done",
        write(200, ("staff", "contractor_a"), A_SIDE),
        {"done_on": "2011-06-20"},
    ),
    Row(
        "api",
        "GET",
        f"{V1}/cases/{{case_sub}}/documents/{{doc_sub}}/file/",
        "case-document-file",
        read(*SUB_CASE, agency=404),  # an agency follows the credit, not the papers
    ),
    Row(
        "api",
        "GET",
        f"{V1}/cases/{{case_b}}/documents/{{doc_b}}/file/",
        "case-document-file",
        read("contractor_b"),
        note="B",
    ),
    Row("api", "GET", f"{V1}/cases/{{case_sub}}/documents/", "case-documents", read(*SUB_CASE)),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_draft}}/documents/",
        "case-documents",
        write(201, ("staff", "contractor_a"), A_SIDE),
        upload(),
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_withdrawn}}/documents/",
        "case-documents",
        write(409, ("staff", "contractor_a"), A_SIDE),
        upload(),
        note="withdrawn",
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_b}}/documents/",
        "case-documents",
        write(201, ("staff", "contractor_b")),
        upload(),
        note="B",
    ),
    Row("api", "GET", f"{V1}/cases/{{case_sub}}/events/", "case-events", read(*SUB_CASE)),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_checklist}}/initial-review/",
        "case-initial-review",
        write(200, STAFF, A_SIDE),
        {"opinion": "初審通過"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_draft}}/initial-review/",
        "case-initial-review",
        write(409, STAFF, A_SIDE),  # the contractor: 403 (role), never 409 (state)
        {"opinion": "初審通過"},
        note="draft",
    ),
    Row(
        "api",
        "GET",
        f"{V1}/cases/{{case_exec}}/progress-reports/",
        "case-progress-reports",
        read(*A_SIDE),
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_exec}}/progress-reports/",
        "case-progress-reports",
        write(201, ("staff", "contractor_a"), A_SIDE),
        {"year": 2011, "quarter": 2, "progress": "on schedule", "percent_complete": 20},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_exec}}/request-actual-approval/",
        "case-request-actual-approval",
        write(200, ("contractor_a",), A_SIDE),
        {},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_submitted}}/return-for-supplement/",
        "case-return-for-supplement",
        write(200, STAFF, A_SIDE),
        {"request": "請補件"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_submitted}}/start-checklist/",
        "case-start-checklist",
        write(200, STAFF, A_SIDE),
        {},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_sub}}/subcommittee-review/",
        "case-subcommittee-review",
        write(200, STAFF, SUB_CASE),
        {"outcome": "pass"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_draft}}/submit/",
        "case-submit",
        write(200, ("contractor_a",), A_SIDE),
        {},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_sub}}/submit/",
        "case-submit",
        write(409, ("contractor_a",), SUB_CASE),
        {},
        note="under review",
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_exec}}/transfer-completed/",
        "case-transfer-completed",
        write(200, ("staff", "contractor_a"), A_SIDE),
        {"activity": "{activity_exec}", "completed_on": "2011-08-01"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_submitted}}/withdraw/",
        "case-withdraw",
        write(200, ("staff", "contractor_a"), A_SIDE),
        {"reason": "no longer needed"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_submitted}}/assign/",
        "case-assign",
        write(200, STAFF, A_SIDE),
        {"assignee": "{staff_user}"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_withdrawn}}/assign/",
        "case-assign",
        write(409, STAFF, A_SIDE),
        {"assignee": "{staff_user}"},
        note="finished",
    ),
    Row(
        "api",
        "POST",
        f"{V1}/cases/{{case_b}}/withdraw/",
        "case-withdraw",
        write(200, ("staff", "contractor_b")),
        {"reason": "no longer needed"},
        note="B",
    ),
    # Feedback fees. Rates: staff only (as the pages); bills: staff and the recipient.
    Row("api", "GET", f"{V1}/exchange-rates/", "exchange-rate-list", staff_read()),
    Row(
        "api",
        "POST",
        f"{V1}/exchange-rates/",
        "exchange-rate-list",
        create(201, STAFF),
        {"currency": "USD_PTS", "rate_twd": "31.0000", "effective_on": "2011-07-01"},
    ),
    Row("api", "GET", f"{V1}/fee-rates/", "fee-rate-list", staff_read()),
    Row(
        "api",
        "POST",
        f"{V1}/fee-rates/",
        "fee-rate-list",
        create(201, STAFF),
        {"mode": "training", "rate": "0.0070", "effective_from": "2011-07-01"},
    ),
    # Penalties (domain.md §13): the agreement's readers see them; staff pay and waive.
    Row("api", "GET", f"{V1}/penalties/", "penalty-list", everyone()),
    Row("api", "GET", f"{V1}/penalties/{{penalty}}/", "penalty-detail", read(*A_SIDE)),
    Row("api", "GET", f"{V1}/penalties/{{penalty}}/payments/", "penalty-payments", read(*A_SIDE)),
    Row(
        "api",
        "POST",
        f"{V1}/penalties/{{penalty}}/payments/",
        "penalty-payments",
        write(201, STAFF, A_SIDE),
        {"paid_on": "2011-04-20", "amount_twd": "1000", "reference": "TX-9"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/penalties/{{penalty}}/waive/",
        "penalty-waive",
        write(200, STAFF, A_SIDE),
        {"reason": "committee consent"},
    ),
    Row("api", "GET", f"{V1}/bills/", "bill-list", everyone()),
    Row("api", "GET", f"{V1}/bills/{{bill}}/", "bill-detail", read(*BILL)),
    Row("api", "GET", f"{V1}/bills/{{bill}}/payments/", "bill-payments", read(*BILL)),
    Row(
        "api",
        "POST",
        f"{V1}/bills/{{bill}}/payments/",
        "bill-payments",
        write(201, STAFF, BILL),
        {"paid_on": "2011-04-10", "amount_twd": "1000", "reference": "TX-1"},
    ),
    Row("api", "GET", f"{V1}/bills/{{bill}}/pdf/", "bill-pdf", read(*BILL)),
    Row(
        "api",
        "POST",
        f"{V1}/bills/{{bill}}/waive/",
        "bill-waive",
        write(200, STAFF, BILL),
        {"reason": "committee consent"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/bills/{{bill}}/cancel/",
        "bill-cancel",
        write(200, STAFF, BILL),
        {"reason": "issued in error"},
    ),
    # Demand items. Call rounds are for those who work with them: the office (opens them,
    # closes scoring), proposing units (file into them), reviewers (panels score them);
    # the same rule on the page and in the API, 403 for anybody else.
    Row("api", "GET", f"{V1}/call-rounds/", "call-round-list", ROUND_READERS),
    Row(
        "api",
        "POST",
        f"{V1}/call-rounds/",
        "call-round-list",
        create(201, STAFF),
        {"year": 2011, "quarter": 2, "opens_on": "2011-04-05", "closes_on": "2011-04-25"},
    ),
    Row("api", "GET", f"{V1}/call-rounds/{{round}}/", "call-round-detail", ROUND_READERS),
    Row(
        "api",
        "POST",
        f"{V1}/call-rounds/{{round}}/close-scoring/",
        "call-round-close-scoring",
        write(200, STAFF, PEOPLE),
        {},
    ),
    Row("api", "GET", f"{V1}/demand-items/", "demand-item-list", everyone()),
    Row(
        "api",
        "POST",
        f"{V1}/demand-items/",
        "demand-item-list",
        # Staff may file for a unit but must name it; this body names none.
        create(201, ("proposer",), staff=400),
        {
            "round": "{round}",
            "title_zh": "新需求",
            "title_en": "New demand item",
            "field": "aerospace",
            "source": "C",
            "description": "說明",
            "total_need": "1000000",
            "icp_share": "500000",
        },
    ),
    Row(
        "api",
        "GET",
        f"{V1}/demand-items/{{item_draft}}/",
        "demand-item-detail",
        read(*ITEM_DRAFT),
    ),
    Row(
        "api",
        "GET",
        f"{V1}/demand-items/{{item_passed}}/",
        "demand-item-detail",
        read(*ITEM_PASSED),
        note="passed",
    ),
    Row(
        "api",
        "PATCH",
        f"{V1}/demand-items/{{item_draft}}/",
        "demand-item-detail",
        write(200, ("staff", "proposer"), ITEM_DRAFT),
        {"title_en": "Renamed"},
    ),
    Row(
        "api",
        "PATCH",
        f"{V1}/demand-items/{{item_passed}}/",
        "demand-item-detail",
        write(409, ("staff", "proposer"), ITEM_PASSED),
        {"title_en": "Renamed"},
        note="passed",
    ),
    Row(
        "api",
        "POST",
        f"{V1}/demand-items/{{item_submitted}}/hold/",
        "demand-item-hold",
        write(200, STAFF, ITEM_SUBMITTED),
        {},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/demand-items/{{item_passed}}/publish/",
        "demand-item-publish",
        write(200, STAFF, ITEM_PASSED),
        {},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/demand-items/{{item_draft}}/publish/",
        "demand-item-publish",
        write(409, STAFF, ITEM_DRAFT),
        {},
        note="draft",
    ),
    # Scores: staff see all, a panel member their own; the proposer may not read them.
    Row(
        "api",
        "GET",
        f"{V1}/demand-items/{{item_submitted}}/scores/",
        "demand-item-scores",
        read(*ITEM_SUBMITTED),  # the proposer: an empty (filtered) list, not refused
    ),
    Row(
        "api",
        "POST",
        f"{V1}/demand-items/{{item_submitted}}/scores/",
        "demand-item-scores",
        write(201, ("reviewer",), ITEM_SUBMITTED),
        {"score": "82.00", "comment": "good"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/demand-items/{{item_draft}}/submit/",
        "demand-item-submit",
        write(200, ("staff", "proposer"), ITEM_DRAFT),
        {},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/demand-items/{{item_submitted}}/submit/",
        "demand-item-submit",
        write(409, ("staff", "proposer"), ITEM_SUBMITTED),
        {},
        note="second submit",
    ),
    # Report jobs (issue 13): each caller lists and reads their own; the office asks for
    # the annual report (a contractor only for its own statements); the activity log is
    # the office's.
    Row("api", "GET", f"{V1}/reports/", "report-list", everyone()),
    Row(
        "api",
        "POST",
        f"{V1}/reports/",
        "report-list",
        create(202, STAFF, anonymous=401),
        {"kind": "annual", "format": "pdf", "parameters": {"year": 2011}},
    ),
    Row("api", "GET", f"{V1}/reports/{{report}}/", "report-detail", read()),
    Row("api", "GET", f"{V1}/reports/{{report}}/file/", "report-file", read()),
    Row("api", "GET", f"{V1}/office-activities/", "office-activity-list", staff_read()),
    Row(
        "api",
        "POST",
        f"{V1}/office-activities/",
        "office-activity-list",
        create(201, STAFF),
        {"kind": "negotiation", "held_on": "2011-05-26", "title": "matrix"},
    ),
    # Statistics (issue 12): staff any agency's, an agency's members their own, else 403.
    Row("api", "GET", f"{V1}/statistics/", "statistics", staff_read(agency=200)),
    Row("api", "GET", f"{V1}/public/statistics/", "public-statistics", everyone(anonymous=200)),
    # The global search (issue 14): everyone signed in, each finding only what they may see.
    Row("api", "GET", f"{V1}/search/", "search", everyone()),
    Row(
        "api",
        "GET",
        f"{V1}/public/demand-items/",
        "public-demand-item-list",
        everyone(anonymous=200),
    ),
    Row(
        "api",
        "GET",
        f"{V1}/public/demand-items/{{item_published}}/",
        "public-demand-item-detail",
        everyone(anonymous=200),
    ),
    Row(
        "api",
        "GET",
        f"{V1}/public/demand-items/{{item_passed}}/",
        "public-demand-item-detail",
        everyone(404, anonymous=404),
        note="unpublished",
    ),
    # Committee. Staff plan meetings, agendas, decisions and approve minutes; members file
    # opinions and conflicts (and see only their own).
    Row("api", "GET", f"{V1}/meetings/", "meeting-list", everyone()),
    Row(
        "api",
        "POST",
        f"{V1}/meetings/",
        "meeting-list",
        create(201, STAFF),
        {"kind": "promotion_committee", "year": 2011, "number": 3, "held_on": "2011-09-08"},
    ),
    Row("api", "GET", f"{V1}/meetings/{{meeting_sub}}/", "meeting-detail", read(*MEETING)),
    Row("api", "GET", f"{V1}/meetings/{{meeting_sub}}/agenda/", "meeting-agenda", read(*MEETING)),
    Row(
        "api",
        "POST",
        f"{V1}/meetings/{{meeting_sub}}/agenda/",
        "meeting-agenda",
        write(201, STAFF, MEETING),
        {"kind": "case_review", "case": "{case_initial}"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/meetings/{{meeting_promo}}/mark-held/",
        "meeting-mark-held",
        write(200, STAFF, MEETING),
        {},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/meetings/{{meeting_done}}/mark-held/",
        "meeting-mark-held",
        write(409, STAFF),
        {},
        note="approved already",
    ),
    Row(
        "api",
        "POST",
        f"{V1}/meetings/{{meeting_promo}}/approve-minutes/",
        "meeting-approve-minutes",
        write(200, STAFF, MEETING),
        {"approved_on": "2011-06-10"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/meetings/{{meeting_done}}/approve-minutes/",
        "meeting-approve-minutes",
        write(409, STAFF),
        {"approved_on": "2011-06-10"},
        note="approved already",
    ),
    Row(
        "api",
        "GET",
        f"{V1}/meetings/{{meeting_sub}}/conflicts/",
        "meeting-conflicts",
        read(*MEETING),
    ),
    Row(
        "api",
        "POST",
        f"{V1}/meetings/{{meeting_sub}}/conflicts/",
        "meeting-conflicts",
        write(201, MEETING, MEETING),
        {"case": "{case_sub}", "reason": "former employer"},
    ),
    Row(
        "api",
        "GET",
        f"{V1}/meetings/{{meeting_promo}}/decisions/",
        "meeting-decisions",
        read(*MEETING),
    ),
    Row(
        "api",
        "POST",
        f"{V1}/meetings/{{meeting_promo}}/decisions/",
        "meeting-decisions",
        write(201, STAFF, MEETING),
        {"agenda_item": "{agenda_item_promo}", "outcome": "noted", "note": "備查"},
    ),
    # Policy steering meetings: the office follows each resolution up (會後管制).
    Row(
        "api",
        "GET",
        f"{V1}/meetings/{{meeting_steer}}/follow-ups/",
        "meeting-follow-ups",
        read(),
    ),
    Row(
        "api",
        "POST",
        f"{V1}/meetings/{{meeting_steer}}/follow-ups/{{follow_up}}/",
        "meeting-follow-up",
        write(200, STAFF),
        {"progress": "已函請國防部研議", "carried_out_on": "2011-09-30"},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/meetings/{{meeting_steer}}/agenda/",
        "meeting-agenda",
        write(409, STAFF),
        {"kind": "steering_request", "subject": "投資抵減", "requested_by": "moea"},
        note="steering, minutes approved",
    ),
    Row(
        "api",
        "GET",
        f"{V1}/meetings/{{meeting_sub}}/opinions/",
        "meeting-opinions",
        read(*MEETING),
    ),
    Row(
        "api",
        "POST",
        f"{V1}/meetings/{{meeting_sub}}/opinions/",
        "meeting-opinions",
        write(201, MEETING, MEETING),
        {"case": "{case_sub}", "opinion": "可行", "recommendation": "pass"},
    ),
    # The packet: staff build and finalize; a member reads the status and their own copy.
    Row("api", "GET", f"{V1}/meetings/{{meeting_promo}}/packet/", "meeting-packet", read(*MEETING)),
    Row(
        "api",
        "POST",
        f"{V1}/meetings/{{meeting_promo}}/packet/",
        "meeting-packet",
        write(202, STAFF, MEETING),
        {},
    ),
    Row(
        "api",
        "POST",
        f"{V1}/meetings/{{meeting_done}}/packet/",
        "meeting-packet",
        write(409, STAFF),
        {},
        note="approved already",
    ),
    Row(
        "api",
        "POST",
        f"{V1}/meetings/{{meeting_promo}}/packet/finalize/",
        "meeting-packet-finalize",
        write(200, STAFF, MEETING),
        {},
    ),
    Row(
        "api",
        "GET",
        f"{V1}/meetings/{{meeting_promo}}/packet/pdf/",
        "meeting-packet-pdf",
        read(*MEETING),
    ),
]

# Pages: the same rules in the browser. A refused action is a 403 page, an invisible
# object a 404 page; an action refused by the object's status is a message on the
# object's page (302 back to it).
PAGE_ROWS = [
    # Sign-in and public pages.
    # A signed-in person is sent on from the sign-in page to their home.
    Row("page", "GET", "/accounts/login/", "login", {**public(302), "anonymous": 200}),
    Row("page", "POST", "/accounts/logout/", "logout", public(LOGIN)),
    Row("page", "GET", "/accounts/set-password/MQ/bad-token/", "set_password", public()),
    Row("page", "GET", "/accounts/set-password/done/", "set_password_done", public()),
    Row("page", "GET", "/healthz", "healthz", public()),
    Row("page", "GET", "/public/demand-items/", "public_demand_item_list", public()),
    # Statistics (issue 12): the office's and an agency's (its own purchases); public figures.
    Row("page", "GET", "/statistics/", "statistics", page("staff", "agency")),
    Row("page", "GET", "/search/", "search", page(*PEOPLE), note="global search"),
    Row("page", "GET", "/home/agency/", "home_agency", page("agency")),
    Row("page", "GET", "/reports/", "report_list", page(*PEOPLE)),
    Row(
        "page",
        "POST",
        "/reports/",
        "report_list",
        page(*PEOPLE, staff=302),  # the others: the form again (no annual report for them)
        {"kind": "annual", "format": "pdf", "year": "2011"},
    ),
    Row("page", "GET", "/reports/{report}/file/", "report_download", page_read()),
    Row("page", "GET", "/office-activities/", "activity_list", page("staff")),
    Row(
        "page",
        "GET",
        "/cases/{case_letter}/letters/{letter}/",
        "decision_letter",
        page_read("contractor_a"),  # addressed to the contractor; not the agency
    ),
    Row("page", "GET", "/public/statistics/", "public_statistics", public()),
    Row(
        "page",
        "GET",
        "/public/demand-items/{item_published}/",
        "public_demand_item_detail",
        public(),
    ),
    Row(
        "page",
        "GET",
        "/public/demand-items/{item_passed}/",
        "public_demand_item_detail",
        public(404),
        note="unpublished",
    ),
    # Home pages: one per role.
    Row("page", "GET", "/", "home", page(*PEOPLE, other=302, **dict.fromkeys(PEOPLE, 302))),
    Row("page", "GET", "/home/office/", "home_office", page("staff")),
    Row(
        "page", "GET", "/home/contractor/", "home_contractor", page("contractor_a", "contractor_b")
    ),
    Row("page", "GET", "/home/reviewer/", "home_reviewer", page("reviewer")),
    Row("page", "GET", "/home/proposer/", "home_proposer", page("proposer")),
    Row("page", "GET", "/home/organization/", "home_organization", page("recipient", "agency")),
    Row("page", "GET", "/home/recipient/", "home_recipient", page("recipient")),
    # Parties.
    Row("page", "GET", "/organizations/", "organization_list", page(*PEOPLE)),
    Row("page", "GET", "/organizations/new/", "organization_create", page("staff")),
    Row(
        "page",
        "GET",
        "/organizations/{org_a}/",
        "organization_detail",
        page_read("contractor_a"),
    ),
    Row(
        "page",
        "GET",
        "/organizations/{org_a}/edit/",
        "organization_edit",
        page_read(contractor_a=403),
    ),
    Row("page", "GET", "/reviewers/", "reviewer_list", page("staff")),
    Row("page", "GET", "/reviewers/new/", "reviewer_create", page("staff")),
    Row("page", "GET", "/account/api-keys/", "api_tokens", page(*PEOPLE)),
    Row("page", "GET", "/inbox/", "inbox", page(*PEOPLE)),
    Row("page", "POST", "/inbox/read-all/", "inbox_read_all", page(other=302)),
    Row(
        "page",
        "POST",
        "/inbox/{notification_a}/open/",
        "inbox_open",
        page_post(("contractor_a",), staff=404),
    ),
    Row(
        "page",
        "POST",
        "/account/api-keys/not-a-key/revoke/",
        "api_token_revoke",
        page(other=404),
        note="someone else's or no key",
    ),
    # Agreements.
    Row("page", "GET", "/agreements/", "agreement_list", page(*PEOPLE)),  # filtered list
    Row("page", "GET", "/agreements/new/", "agreement_create", page("staff")),
    Row("page", "GET", "/procurements/new/", "procurement_create", page("staff")),
    Row("page", "GET", "/procurements/", "procurement_list", page("staff", "agency")),
    Row(
        "page",
        "GET",
        "/procurements/{procurement_plan}/",
        "procurement_detail",
        page("staff", "agency"),
    ),
    Row(
        "page",
        "GET",
        "/procurements/{procurement_plan}/assessment/",
        "procurement_act",
        page("staff"),
    ),
    Row(
        "page",
        "POST",
        "/procurements/{procurement_plan}/assessment/",
        "procurement_act",
        page("staff", staff=302),
        {"item": "雷達維修能量", "result": "buildable_through_icp"},
    ),
    Row("page", "GET", "/agreements/{agreement_a}/", "agreement_detail", page_read(*A_SIDE)),
    Row(
        "page",
        "GET",
        "/agreements/{agreement_a}/ledger.xlsx",
        "agreement_ledger_xlsx",
        page_read(*A_SIDE),
    ),
    Row(
        "page",
        "GET",
        "/agreements/{agreement_a}/edit/",
        "agreement_edit",
        page_read(contractor_a=403, agency=403),
    ),
    Row(
        "page",
        "POST",
        "/agreements/{agreement_a}/obligation/",
        "agreement_amend_obligation",
        page_post(STAFF, A_SIDE),
        {"obligation": "950000000.00", "effective_on": "2011-06-01", "reason": "amendment"},
    ),
    Row(
        "page",
        "POST",
        "/agreements/{agreement_a}/multipliers/add/",
        "multiplier_add",
        page_post(STAFF, A_SIDE),
        {
            "mode": "training",
            "min_multiplier": "1",
            "max_multiplier": "1",
            "effective_from": "2011-01-10",
        },
    ),
    Row(
        "page",
        "POST",
        "/agreements/{agreement_a}/plan-items/add/",
        "plan_item_add",
        page_post(STAFF, A_SIDE),
        {"mode": "training", "title": "訓練"},
    ),
    Row(
        "page",
        "POST",
        "/agreements/{agreement_a}/briefings/add/",
        "briefing_add",
        page_post(STAFF, A_SIDE),
        {"held_on": "2011-03-01", "title": "第二場說明會"},
    ),
    Row(
        "page",
        "POST",
        "/agreements/{agreement_a}/ledger/{entry_a}/reverse/",
        "entry_reverse",
        page_post(STAFF, A_SIDE),
        {"reason": "entered twice"},
    ),
    # Guarantees and closure (the office's forms on the agreement page).
    Row(
        "page",
        "GET",
        "/agreements/{agreement_a}/guarantees/add/",
        "guarantee_add",
        page_read(contractor_a=403, agency=403),
    ),
    Row(
        "page",
        "POST",
        "/agreements/{agreement_a}/guarantees/add/",
        "guarantee_add",
        page_post(STAFF, A_SIDE),
        {
            "kind": "letter_of_guarantee",
            "issuer": "Citibank, N.A.",
            "amount": "1000000.00",
            "currency": "USD",
            "valid_from": "2011-02-01",
            "valid_until": "2013-02-01",
        },
    ),
    Row(
        "page",
        "POST",
        "/agreements/{agreement_a}/guarantees/{guarantee_a}/release/",
        "guarantee_release",
        page_post(STAFF, A_SIDE),
        {"released_on": "2011-06-01"},
    ),
    Row(
        "page",
        "POST",
        "/agreements/{agreement_a}/guarantees/{guarantee_a}/call/",
        "guarantee_call",
        page_post(STAFF, A_SIDE),
        {"meeting": "{meeting_done}", "called_on": "2011-06-01"},
    ),
    Row(
        "page",
        "POST",
        "/agreements/{agreement_a}/close/",
        "agreement_close",
        page_post(STAFF, A_SIDE),
        {"status": "completed", "closed_on": "2011-06-01"},
    ),
    # Cases.
    Row(
        "page",
        "GET",
        "/cases/",
        "case_list",
        page("staff", "contractor_a", "contractor_b", "reviewer", "agency"),
    ),
    Row("page", "GET", "/cases/new/", "case_create", page("staff", "contractor_a", "contractor_b")),
    Row("page", "GET", "/cases/{case_sub}/", "case_detail", page_read(*SUB_CASE)),
    Row("page", "GET", "/cases/{case_b}/", "case_detail", page_read("contractor_b"), note="B"),
    Row(
        "page",
        "GET",
        "/cases/{case_draft}/edit/",
        "case_edit",
        page_read("contractor_a", agency=403),
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_draft}/submit/",
        "case_submit",
        page_post(("contractor_a",), A_SIDE),
        {},
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_submitted}/start-checklist/",
        "case_start_checklist",
        page_post(STAFF, A_SIDE),
        {},
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_checklist}/checklist/forms_complete/",
        "case_checklist_confirm",
        page_post(STAFF, A_SIDE),
        {
            "confirm-forms_complete-code": "forms_complete",
            "confirm-forms_complete-result": "pass",
        },
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_checklist}/initial-review/",
        "case_initial_review",
        page_post(STAFF, A_SIDE),
        {"initial_review-opinion": "初審通過"},
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_draft}/initial-review/",
        "case_initial_review",
        page_post(STAFF, A_SIDE),  # the contractor: 403 (role) before the status
        {"initial_review-opinion": "初審通過"},
        note="draft",
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_submitted}/return-for-supplement/",
        "case_return_for_supplement",
        page_post(STAFF, A_SIDE),
        {"return_for_supplement-request": "請補件"},
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_sub}/subcommittee-outcome/",
        "case_subcommittee_review",
        page_post(STAFF, SUB_CASE),
        {"subcommittee-outcome": "pass"},
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_submitted}/assign/",
        "case_assign",
        page_post(STAFF, A_SIDE),
        {"assign-assignee": "{staff_user}"},
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_submitted}/withdraw/",
        "case_withdraw",
        page_post(("staff", "contractor_a"), A_SIDE),
        {"withdraw-reason": "no longer needed"},
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_exec}/request-actual-approval/",
        "case_request_actual_approval",
        page_post(("contractor_a",), A_SIDE),
        {},
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_exec}/progress-reports/",
        "progress_report_file",
        page_post(("staff", "contractor_a"), A_SIDE),
        {
            "progress_report-year": "2011",
            "progress_report-quarter": "2",
            "progress_report-progress": "on schedule",
            "progress_report-percent_complete": "20",
        },
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_exec}/activities/{activity_exec}/transfer-completed/",
        "activity_transfer_completed",
        page_post(("staff", "contractor_a"), A_SIDE),
        {"transfer-{activity_exec}-completed_on": "2011-08-01", "completed_on": "2011-08-01"},
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_exec}/checkpoints/",
        "checkpoint_add",
        page_post(("staff", "contractor_a"), A_SIDE),
        {"checkpoint-title": "Q3 milestone", "checkpoint-due_on": "2011-09-30"},
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_sub}/outcomes/",
        "outcome_record",
        page_post(STAFF, SUB_CASE),  # the office: a message (not after actual approval yet)
        {"outcome-stage": "at_approval", "outcome-as_of": "2011-12-06"},  # refused first
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_exec}/checkpoints/{checkpoint_exec}/done/",
        "checkpoint_done",
        page_post(("staff", "contractor_a"), A_SIDE),
        {"checkpoint-{checkpoint_exec}-done_on": "2011-06-20", "done_on": "2011-06-20"},
    ),
    Row(
        "page",
        "POST",
        "/cases/{case_draft}/documents/",
        "case_document_upload",
        page_post(("staff", "contractor_a"), A_SIDE),
        lambda: {"kind": "other", "file": pdf("other.pdf")},
    ),
    Row(
        "page",
        "GET",
        "/cases/{case_sub}/documents/{doc_sub}/file/",
        "case_document_download",
        page_read(*SUB_CASE, agency=404),
    ),
    # Committee.
    Row("page", "GET", "/meetings/", "meeting_list", page("staff", "reviewer")),
    Row("page", "GET", "/meetings/new/", "meeting_create", page("staff")),
    Row("page", "GET", "/meetings/{meeting_sub}/", "meeting_detail", page_read(*MEETING)),
    Row(
        "page",
        "POST",
        "/meetings/{meeting_sub}/agenda/",
        "meeting_agenda_add",
        page_post(STAFF, MEETING),
        {"agenda-case": "{case_initial_number}", "agenda-kind": "case_review"},
    ),
    Row(
        "page",
        "POST",
        "/meetings/{meeting_promo}/agenda/{agenda_item_promo}/decision/",
        "meeting_decision_record",
        page_post(STAFF, MEETING),
        {"decision-{agenda_item_promo}-outcome": "noted", "outcome": "noted"},
    ),
    Row(
        "page",
        "POST",
        "/meetings/{meeting_steer}/requests/",
        "meeting_request_add",
        page_post(STAFF),
        {"request-subject": "投資抵減", "request-requested_by": "moea"},
    ),
    Row(
        "page",
        "POST",
        "/meetings/{meeting_steer}/follow-ups/{follow_up}/",
        "meeting_follow_up",
        page_post(STAFF),
        {"follow-up-{follow_up}-progress": "已函請國防部研議"},
    ),
    Row(
        "page",
        "POST",
        "/meetings/{meeting_sub}/agenda/{agenda_item_sub}/conflict/",
        "meeting_conflict_declare",
        page_post(MEETING, MEETING),
        {"conflict-{agenda_item_sub}-reason": "former employer"},
    ),
    Row(
        "page",
        "POST",
        "/meetings/{meeting_sub}/agenda/{agenda_item_sub}/opinion/",
        "meeting_opinion_file",
        page_post(MEETING, MEETING),
        {
            "opinion-{agenda_item_sub}-recommendation": "pass",
            "opinion-{agenda_item_sub}-opinion": "可行",
        },
    ),
    Row(
        "page",
        "POST",
        "/meetings/{meeting_promo}/held/",
        "meeting_mark_held",
        page_post(STAFF, MEETING),
        {},
    ),
    Row(
        "page",
        "POST",
        "/meetings/{meeting_promo}/packet/",
        "meeting_packet_build",
        page_post(STAFF, MEETING),
        {},
    ),
    Row(
        "page",
        "POST",
        "/meetings/{meeting_promo}/packet/finalize/",
        "meeting_packet_finalize",
        page_post(STAFF, MEETING),
        {},
    ),
    Row(
        "page",
        "GET",
        "/meetings/{meeting_promo}/packet/pdf/",
        "meeting_packet_pdf",
        page_read(*MEETING),
    ),
    Row(
        "page",
        "POST",
        "/meetings/{meeting_promo}/minutes/",
        "meeting_minutes_approve",
        page_post(STAFF, MEETING),
        {"minutes-approved_on": "2011-06-10", "approved_on": "2011-06-10"},
    ),
    Row(
        "page",
        "POST",
        "/meetings/{meeting_promo}/demand-items/",
        "demand_review_add",
        page_post(STAFF, MEETING),
        {"demand_item": "{item_passed}"},
    ),
    Row(
        "page",
        "POST",
        "/meetings/{meeting_promo}/shortfalls/",
        "meeting_shortfall_add",
        page_post(STAFF, MEETING),
        {"agreement": "{agreement_a}"},
    ),
    Row(
        "page",
        "POST",
        "/meetings/{meeting_promo}/demand-items/{agenda_item_promo}/decision/",
        "demand_review_decide",
        page_post(STAFF, MEETING, staff=404),  # not a demand item's agenda row
        {"outcome": "passed"},
    ),
    # Demand items.
    Row(
        "page",
        "GET",
        "/demand-items/",
        "demand_item_list",
        page("staff", "proposer", "reviewer", "contractor_a", "contractor_b"),
    ),
    Row("page", "GET", "/demand-items/new/", "demand_item_create", page("staff", "proposer")),
    Row("page", "GET", "/demand-items/{item_draft}/", "demand_item_detail", page_read(*ITEM_DRAFT)),
    Row(
        "page",
        "GET",
        "/demand-items/{item_passed}/",
        "demand_item_detail",
        page_read(*ITEM_PASSED),
        note="passed",
    ),
    Row(
        "page",
        "GET",
        "/demand-items/{item_draft}/edit/",
        "demand_item_edit",
        page_read(*ITEM_DRAFT),
    ),
    Row(
        "page",
        "POST",
        "/demand-items/{item_draft}/submit/",
        "demand_item_submit",
        page_post(("staff", "proposer"), ITEM_DRAFT),
        {},
    ),
    Row(
        "page",
        "POST",
        "/demand-items/{item_submitted}/score/",
        "demand_item_score",
        page_post(MEETING, ITEM_SUBMITTED),
        {"score-score": "82.00", "score-comment": "good", "score": "82.00"},
    ),
    Row(
        "page",
        "POST",
        "/demand-items/{item_submitted}/hold/",
        "demand_item_hold",
        page_post(STAFF, ITEM_SUBMITTED),
        {},
    ),
    Row(
        "page",
        "POST",
        "/demand-items/{item_passed}/publish/",
        "demand_item_publish",
        page_post(STAFF, ITEM_PASSED),
        {},
    ),
    Row("page", "GET", "/call-rounds/", "call_round_list", page("staff", "proposer", "reviewer")),
    Row(
        "page",
        "POST",
        "/call-rounds/{round}/close-scoring/",
        "call_round_close_scoring",
        page_post(STAFF, PEOPLE),
        {},
    ),
    # Feedback fees.
    # Penalties: staff, the contractor and the agency; staff's forms.
    Row(
        "page",
        "GET",
        "/penalties/",
        "penalty_list",
        page("staff", "contractor_a", "contractor_b", "agency"),
    ),
    Row("page", "GET", "/penalties/{penalty}/", "penalty_detail", page_read(*A_SIDE)),
    Row(
        "page",
        "POST",
        "/penalties/{penalty}/payments/",
        "penalty_payment",
        page_post(STAFF, A_SIDE),
        {"payment-paid_on": "2011-04-20", "payment-amount_twd": "1000"},
    ),
    Row(
        "page",
        "POST",
        "/penalties/{penalty}/waive/",
        "penalty_waive",
        page_post(STAFF, A_SIDE),
        {"waive-reason": "committee consent"},
    ),
    Row("page", "GET", "/bills/", "bill_list", page("staff", "recipient")),
    Row("page", "GET", "/bills/{bill}/", "bill_detail", page_read(*BILL)),
    Row("page", "GET", "/bills/{bill}/notice.pdf", "bill_pdf", page_read(*BILL)),
    Row(
        "page",
        "POST",
        "/bills/{bill}/payments/",
        "bill_payment",
        page_post(STAFF, BILL),
        {
            "payment-paid_on": "2011-04-10",
            "payment-amount_twd": "1000",
            "paid_on": "2011-04-10",
            "amount_twd": "1000",
        },
    ),
    Row(
        "page",
        "POST",
        "/bills/{bill}/waive/",
        "bill_waive",
        page_post(STAFF, BILL),
        {"waive-reason": "committee consent", "reason": "committee consent"},
    ),
    Row(
        "page",
        "POST",
        "/bills/{bill}/cancel/",
        "bill_cancel",
        page_post(STAFF, BILL),
        {"cancel-reason": "issued in error", "reason": "issued in error"},
    ),
    Row("page", "GET", "/exchange-rates/", "exchange_rate_list", page("staff")),
    Row("page", "GET", "/fee-rates/", "fee_rate_list", page("staff")),
]

ROWS = API_ROWS + PAGE_ROWS

# Patterns that are not the portal's own endpoints or pages.
EXCLUDED_NAMES = {"schema", "swagger-ui", "set_language"}
EXCLUDED_PREFIXES = ("admin/", "static/", "media/", "__debug__/")


def _actors(row: Row) -> tuple[str, ...]:
    return (*AUTH, "anonymous") if row.kind == "api" else (*PEOPLE, "anonymous")


# --- The world, once per module -----------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once inside a transaction that is rolled back after the module; each test
    runs in a savepoint of it (pytest-django's ``db``), so the world stays pristine."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = build_world()
            from cases.models import Case
            from committee.models import AgendaItem

            w.ids["case_initial_number"] = Case.objects.get(pk=w.ids["case_initial"]).number
            w.ids["agenda_item_sub"] = AgendaItem.objects.get(
                meeting_id=w.ids["meeting_sub"], case_id=w.ids["case_sub"]
            ).pk
            w.media_root = media
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _world_media(world, settings):
    settings.MEDIA_ROOT = world.media_root


@pytest.fixture(autouse=True)
def _fast_pdf(monkeypatch):
    """The matrix is about who may fetch the notice, not how it renders (tested elsewhere)."""
    import feedback.pdf
    import feedback.views

    monkeypatch.setattr(feedback.pdf, "payment_notice_pdf", lambda bill, *a, **k: PDF)
    monkeypatch.setattr(feedback.views, "payment_notice_pdf", lambda bill, *a, **k: PDF)


def _fill(value, ids):
    if isinstance(value, str):
        filled = value.format(**ids)
        return (
            int(filled)
            if value.startswith("{") and value.endswith("}") and filled.isdigit()
            else filled
        )
    if isinstance(value, dict):
        return {_fill(k, ids): _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _request(world: World, row: Row, actor: str):
    path = row.path.format(**world.ids)
    body = row.body() if callable(row.body) else row.body
    body = _fill(body, world.ids) if body is not None else None
    if row.kind == "api":
        client = APIClient()
        client.credentials(HTTP_ACCEPT_LANGUAGE="en")
        if actor != "anonymous":
            client.credentials(
                HTTP_AUTHORIZATION=f"Token {world.tokens[actor]}", HTTP_ACCEPT_LANGUAGE="en"
            )
        call = getattr(client, row.method.lower())
        if row.method == "GET":
            return path, call(path)
        multipart = isinstance(body, dict) and any(hasattr(v, "read") for v in body.values())
        return path, call(path, body or {}, format="multipart" if multipart else "json")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if actor != "anonymous":
        client.cookies["sessionid"] = world.sessions[actor]
    if row.method == "GET":
        return path, client.get(path)
    return path, client.post(path, body or {})


def _answer(world: World, row: Row, actor: str):
    """The status code (or LOGIN) one actor gets, in a savepoint rolled back after it."""
    with transaction.atomic():
        _path, response = _request(world, row, actor)
        transaction.set_rollback(True)
    code = response.status_code
    location = response.get("Location", "") if code == 302 else ""
    if code == 302 and location.startswith("/accounts/login/"):
        # Only the anonymous visitor is sent to sign in (and everyone by the logout).
        return LOGIN if actor == "anonymous" or row.name == "logout" else "302→login"
    return code


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_permission_matrix(world, db, row):
    """Each actor gets exactly the row's status code."""
    actual = {actor: _answer(world, row, actor) for actor in _actors(row)}
    expected = {actor: row.expected[actor] for actor in _actors(row)}
    wrong = {
        a: f"expected {expected[a]}, got {actual[a]}" for a in expected if expected[a] != actual[a]
    }
    assert not wrong, f"{row.method} {row.path}: {wrong}"


def test_every_row_names_the_pattern_its_path_resolves_to(world):
    for row in ROWS:
        path = row.path.format(**world.ids)
        assert resolve(path).url_name == row.name, (row.id, path, resolve(path).url_name)


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith(EXCLUDED_PREFIXES):
                continue
            yield from _patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name


def test_every_url_pattern_has_a_row():
    """A new endpoint or page without a row in the table fails here."""
    covered = {row.name for row in ROWS}
    missing = []
    for route, name in _patterns():
        if route.startswith(EXCLUDED_PREFIXES) or name in EXCLUDED_NAMES:
            continue
        if "format" in route and "(?P<format>" in route:  # format-suffix duplicates
            continue
        if name is None or name not in covered:
            missing.append(f"{route} ({name})")
    assert not missing, "URL patterns without a row in the permission matrix:\n" + "\n".join(
        missing
    )


def test_every_row_covers_every_actor():
    for row in ROWS:
        actors = set(AUTH) | {"anonymous"} if row.kind == "api" else set(PEOPLE) | {"anonymous"}
        assert set(row.expected) == actors, (row.id, actors ^ set(row.expected))


# --- What a sub-committee member sees of others (the matrix says only whether) ------------


def _api(world, actor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[actor]}")
    return client


@pytest.mark.parametrize("resource", ["conflicts", "opinions"])
def test_a_member_sees_only_their_own_declarations_and_opinions(world, db, resource):
    url = f"/api/v1/meetings/{world.ids['meeting_sub']}/{resource}/"
    staff_rows = _api(world, "staff").get(url).json()
    mine = _api(world, "reviewer").get(url).json()
    rows = mine["results"] if isinstance(mine, dict) else mine
    staff_rows = staff_rows["results"] if isinstance(staff_rows, dict) else staff_rows
    assert staff_rows, "the world has another member's row"
    assert rows == [], rows


def test_a_panel_member_sees_only_their_own_scores(world, db):
    url = f"/api/v1/demand-items/{world.ids['item_submitted']}/scores/"
    assert _api(world, "staff").get(url).json()
    mine = _api(world, "reviewer").get(url).json()
    assert (mine["results"] if isinstance(mine, dict) else mine) == []
