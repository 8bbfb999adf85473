"""Findings of the outside security test (issue 10, items 7, 8, 9, 10 and 12), each as the
rule that now holds: spreadsheet cells are text, pages carry a Content-Security-Policy, a
Permissions-Policy and private caching, weak passwords and endless lockouts are refused,
API errors are JSON, and an upload must be a PDF that parses."""

import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from agreements import services as agreement_services
from agreements.choices import CaseUse
from agreements.models import CreditEntry
from icp_portal.lib.uploads import blank_pdf, pdf_refusal
from icp_portal.lib.xlsx import xlsx_response
from icp_portal.views import server_error
from organizations.services import api_token_issue
from tests.factories import make_agreement

D = Decimal
FORMULA = '=HYPERLINK("https://evil.example/steal","Click for details")'


# --- 7. Excel formula injection ----------------------------------------------------------


def test_a_ledger_reason_that_looks_like_a_formula_is_exported_as_text(
    client, office_user, contractor_a
):
    agreement = make_agreement(contractor=contractor_a, actor=office_user, obligation="5000000.00")
    agreement_services.credit_reserve(
        agreement=agreement,
        amount=D("2000000.00"),
        effective_on=date(2011, 9, 8),
        use=CaseUse.INDUSTRY,
        actor=office_user,
    )
    reserve = CreditEntry.objects.get(agreement=agreement, amount=D("2000000.00"))
    agreement_services.credit_entry_reverse(entry=reserve, reason=FORMULA, actor=office_user)
    client.force_login(office_user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("agreement_ledger_xlsx", args=[agreement.pk]))
    sheet = load_workbook(BytesIO(response.content)).active
    note_column = [cell.value for cell in sheet[1]].index("Note")
    reversal = list(sheet.iter_rows(min_row=2))[-1]
    note = reversal[note_column]
    assert note.value == FORMULA
    assert note.data_type == "s"  # text, not "f" (a live formula)
    assert note.quotePrefix  # Excel keeps it text even when someone edits the cell
    amount = reversal[3]
    assert amount.data_type == "n" and amount.value == -2000000  # numbers stay numbers
    assert reversal[1].is_date  # dates stay dates


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "=cmd|' /C calc'!A0"])
def test_every_export_writes_formula_like_text_as_text(text):
    response = xlsx_response(
        filename="x.xlsx", sheet="S", headers=["Text", "Amount"], rows=[[text, D("1.50")]]
    )
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == text
    assert sheet["B2"].data_type == "n" and sheet["B2"].value == 1.5


# --- 8. Security headers -----------------------------------------------------------------


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_strict_csp(response):
    csp = _csp(response)
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == ["'none'"]


def _assert_permissions_policy(response):
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_a_signed_in_page_has_csp_permissions_policy_and_is_never_stored(client, office_user):
    client.force_login(office_user)
    response = client.get(reverse("agreement_list"))
    assert response.status_code == 200
    _assert_strict_csp(response)
    _assert_permissions_policy(response)
    assert response["Cache-Control"] == "private, no-store"


def test_an_anonymous_public_page_has_the_policies_and_stays_cacheable(client, db):
    response = client.get(reverse("public_demand_item_list"))
    assert response.status_code == 200
    _assert_strict_csp(response)
    _assert_permissions_policy(response)
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_api_answers_a_token_user_with_private_no_store(api_client, office_user):
    _token, key = api_token_issue(user=office_user, actor=office_user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get("/api/v1/agreements/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    _assert_permissions_policy(response)
    assert "Content-Security-Policy" in response


def test_the_login_page_and_a_form_page_render_under_the_policy(client, office_user):
    login = client.get(reverse("login"))
    assert login.status_code == 200 and 'name="password"' in login.content.decode()
    _assert_strict_csp(login)
    client.force_login(office_user)
    form = client.get(reverse("agreement_create"))
    assert form.status_code == 200 and "<form" in form.content.decode()
    _assert_strict_csp(form)


def test_the_api_docs_load_their_script_from_a_file_under_the_policy(client, db):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    csp = _csp(page)
    assert "'unsafe-inline'" not in csp["script-src"]  # only its inline <style> is let in
    html = page.content.decode()
    inline = [s for s in re.findall(r"<script([^>]*)>", html) if "src=" not in s]
    assert not inline
    script_url = re.search(r'<script src="([^"]*\?script=[^"]*)"', html).group(1)
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


def test_no_template_has_inline_script_handlers_or_styles():
    """The policy refuses inline script and style: templates load files from static/."""
    offending = []
    for path in (django_settings.BASE_DIR / "templates").rglob("*.html"):
        if "pdf" in path.relative_to(django_settings.BASE_DIR / "templates").parts:
            continue  # rendered to PDF by WeasyPrint, never by a browser
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offending.append(f"{path.name}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offending.append(f"{path.name}: on* attribute")
        if re.search(r"\sstyle\s*=|<style", text):
            offending.append(f"{path.name}: inline style")
    assert not offending


# --- 9. Passwords and lockout ------------------------------------------------------------


@pytest.mark.parametrize(
    "weak",
    ["aaaaaaaaaaaa", "Taipei-abcdef-88", "Taipei-123456-88", "qwerty-Taipei-88", "abababababab"],
)
def test_repeated_characters_and_runs_are_refused_as_passwords(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


@pytest.mark.parametrize(
    "good", ["correct-horse-battery-9", "Kaohsiung-harbour-2011", "ICP-demo-2011!"]
)
def test_ordinary_long_passwords_are_accepted(good):
    validate_password(good)


def test_the_password_refusal_is_in_traditional_chinese_by_default():
    with translation.override("zh-hant"), pytest.raises(ValidationError) as refused:
        validate_password("aaaaaaaaaaaa")
    assert any("連續重複" in message for message in refused.value.messages)


@pytest.fixture
def axes_clock(monkeypatch):
    """django-axes' clock, frozen and moved by the test."""
    clock = {"now": timezone.now()}
    monkeypatch.setattr("axes.handlers.proxy.now", lambda: clock["now"])
    return clock


def test_attempts_during_a_lockout_do_not_restart_the_cool_off(
    client, settings, office_user, password, axes_clock
):
    login = reverse("login")
    wrong = {"username": office_user.username, "password": "wrong"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, wrong)
    locked_at = AccessAttempt.objects.get(username=office_user.username).attempt_time
    # Someone keeps trying near the end of the cool-off, to keep the account locked.
    axes_clock["now"] = locked_at + settings.AXES_COOLOFF_TIME - timedelta(minutes=2)
    assert client.post(login, wrong).status_code == 429
    assert AccessAttempt.objects.get(username=office_user.username).attempt_time == locked_at
    # The cool-off ran from the lock: the owner signs in once it is over.
    axes_clock["now"] = locked_at + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    right = client.post(login, {"username": office_user.username, "password": password})
    assert right.status_code == 302
    assert "_auth_user_id" in client.session


# --- 10. Errors under /api/ are JSON -----------------------------------------------------


def test_an_unknown_api_url_is_a_json_404(api_client, office_user):
    api_client.force_authenticate(office_user)
    for url in ("/api/v1/no-such-thing/", "/api/nothing/here"):
        response = api_client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"}


def test_an_unknown_page_is_the_portals_404_page(client, office_user):
    client.force_login(office_user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "找不到頁面" in response.content.decode()


def _boom(*args, **kwargs):
    raise RuntimeError("simulated failure")


def test_an_unhandled_error_under_the_api_is_a_json_500(office_user, monkeypatch):
    from agreements.api.views import AgreementViewSet

    monkeypatch.setattr(AgreementViewSet, "get_queryset", _boom)
    client = Client(raise_request_exception=False)
    client.force_login(office_user)
    response = client.get("/api/v1/agreements/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "A server error occurred."}
    assert "simulated" not in response.content.decode()


def test_an_unhandled_error_on_a_page_is_the_portals_500_page(office_user, monkeypatch):
    monkeypatch.setattr("agreements.views._listed_agreements", _boom)
    client = Client(raise_request_exception=False)
    client.force_login(office_user)
    response = client.get(reverse("agreement_list"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "伺服器錯誤" in page and "simulated" not in page
    assert office_user.name not in page  # rendered without the request's user


def test_the_500_page_needs_neither_the_database_nor_the_user(django_db_blocker):
    request = RequestFactory().get("/agreements/")  # no session, no user
    with django_db_blocker.block():
        response = server_error(request)
    assert response.status_code == 500 and b"<html" in response.content


# --- 12. PDF uploads are parsed ----------------------------------------------------------


@pytest.fixture
def draft_case(office_user, contractor_a, contractor_a_member, recipient):
    from agreements.choices import Mode
    from cases.services import case_create

    agreement = make_agreement(contractor=contractor_a, actor=office_user, obligation="9000000.00")
    return case_create(
        agreement=agreement,
        actor=contractor_a_member,
        title_zh="技術移轉",
        title_en="Technology transfer",
        use="indirect_defence",
        field="aerospace",
        starts_on=date(2011, 4, 1),
        ends_on=date(2013, 3, 31),
        activities=[
            {
                "mode": Mode.TECHNOLOGY_TRANSFER,
                "recipient": recipient,
                "value": D("500000.00"),
                "requested_multiplier": D("18.00"),
            }
        ],
    )


def _upload(api, case, content):
    upload = SimpleUploadedFile("plan.pdf", content, content_type="application/pdf")
    return api.post(
        f"/api/v1/cases/{case.pk}/documents/",
        {"kind": "application", "file": upload},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",  # no page
    ],
)
def test_a_file_that_only_starts_like_a_pdf_is_refused(
    api_client, contractor_a_member, draft_case, content
):
    api_client.force_authenticate(contractor_a_member)
    response = _upload(api_client, draft_case, content)
    assert response.status_code == 400
    assert "cannot be read or has no page" in response.json()["file"][0]
    assert not draft_case.documents.exists()


def test_a_real_pdf_is_accepted(api_client, contractor_a_member, draft_case):
    api_client.force_authenticate(contractor_a_member)
    response = _upload(api_client, draft_case, blank_pdf())
    assert response.status_code == 201, response.json()
    assert draft_case.documents.count() == 1


def test_the_pdf_refusal_is_translated():
    with translation.override("zh-hant"):
        assert "無法讀取此 PDF" in pdf_refusal(b"%PDF-1.7\nnot really")
    assert pdf_refusal(blank_pdf()) == ""
