"""One case end to end in the browser (issue 4, "Done when"): the contractor files in
English with its documents → the office's checklist and initial review → a sub-committee's
opinions and outcome → the promotion committee's pre-approval and approved minutes → the
agreement's balance shows the reserve → a quarterly progress report and the actual-approval
request → actual approval → the balance shows the discharge and the reserve released.

The contractor works in English; the office and the reviewers in Chinese (their own
browsers). Chinese labels are looked up in the portal's own catalogue, so the journey
follows the translation as it is, wherever it still falls back to English."""

import os
import re
import tempfile
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from agreements import services as agreement_services
from agreements.choices import Mode
from cases.choices import CaseStatus, ChecklistResult, DocumentKind, SubcommitteeOutcome
from cases.forms import InitialReviewForm, SubcommitteeOutcomeForm
from cases.models import Case
from committee.choices import Outcome
from committee.forms import (
    AgendaAddForm,
    DecisionForm,
    MeetingForm,
    MinutesApproveForm,
    OpinionForm,
)
from committee.models import Meeting
from icp_portal.lib.uploads import blank_pdf
from organizations.choices import ReviewerKind
from tests.factories import ProcurementFactory, ReviewerProfileFactory, UserFactory, make_agreement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = blank_pdf()  # a real one-page PDF: uploads are parsed
OBLIGATION = Decimal("62000000.00")
VALUE = Decimal("1234567.89")
REQUESTED_MULTIPLIER = Decimal("18.00")
APPROVED_MULTIPLIER = Decimal("16.50")  # within the technology-transfer standard 15–20
ACTUAL_CREDITS = Decimal("19876543.21")


def zh(text) -> str:
    """What the office's and the reviewers' (Chinese) pages show for an English msgid, a
    lazy label or an object's ``str``."""
    with translation.override("zh-hant"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def field(form_class, name: str) -> str:
    """The Chinese label of a form's field, as the office's and reviewers' pages show it."""
    return zh(form_class.base_fields[name].label)


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def credits(value: Decimal, multiplier: Decimal) -> Decimal:
    return (value * multiplier).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _review(page, name):
    """A full-page screenshot for the visual review, only when REVIEW_SCREENSHOTS=1."""
    if os.environ.get("REVIEW_SCREENSHOTS") == "1":
        folder = Path(tempfile.gettempdir()) / "review"
        folder.mkdir(exist_ok=True)
        page.screenshot(path=folder / f"{name}.png", full_page=True)


def figure(balance, name: str):
    """The figure of one row of an agreement's balance table."""
    return balance.get_by_role("row", name=re.compile(rf"^{re.escape(name)}(\s|$)")).locator("td")


def alert(page, text):
    return page.get_by_role("alert").filter(has_text=text)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def open_browser(browser):
    """Another person's browser in Taiwan (zh-TW), closed after the test."""
    contexts = []

    def _open():
        context = browser.new_context(locale="zh-TW")
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def agreement(office_user, contractor_a, today):
    """Contractor A's agreement, signed a year ago on a procurement contract signed before
    it; the briefing came after both; standards and plan items for two modes."""
    signed_on = today - timedelta(days=365)
    agreement = make_agreement(
        contractor=contractor_a,
        actor=office_user,
        number=f"ICP-{signed_on.year}-017",
        obligation=str(OBLIGATION),
        signed_on=signed_on,
        procurement=ProcurementFactory(
            title_zh="愛國者飛彈系統採購案",
            title_en="Patriot missile system",
            contract_signed_on=signed_on - timedelta(days=30),
        ),
    )
    for mode, low, high, title in (
        (Mode.TECHNOLOGY_TRANSFER, "15.00", "20.00", "Radar module technology transfer"),
        (Mode.DOMESTIC_PROCUREMENT, "2.00", "2.00", "Domestic procurement of radar parts"),
    ):
        agreement_services.multiplier_standard_set(
            agreement=agreement,
            mode=mode,
            min_multiplier=Decimal(low),
            max_multiplier=Decimal(high),
            effective_from=signed_on,
            actor=office_user,
        )
        agreement_services.plan_item_add(
            agreement=agreement, mode=mode, title=title, actor=office_user
        )
    agreement_services.briefing_record(
        agreement=agreement,
        held_on=signed_on + timedelta(days=30),
        title="愛國者工業合作招商說明會",
        actor=office_user,
    )
    return agreement


@pytest.fixture
def reviewers(db):
    """The reviewer pool: five experts and two others, each able to sign in."""
    experts = [
        ReviewerProfileFactory(
            user=UserFactory(username=f"expert-{n}", name=name), kind=ReviewerKind.EXPERT
        )
        for n, name in enumerate(["陳永華", "林佳慧", "黃志強", "張雅婷", "劉建國"], start=1)
    ]
    scholar = ReviewerProfileFactory(
        user=UserFactory(username="scholar-wu", name="吳淑芬"),
        kind=ReviewerKind.SCHOLAR,
        affiliation="國立成功大學",
    )
    association = ReviewerProfileFactory(
        user=UserFactory(username="association-tsai", name="蔡明哲"),
        kind=ReviewerKind.ASSOCIATION,
        affiliation="台灣航太工業同業公會",
    )
    return experts, [scholar, association]


def previous_quarter(today: date) -> tuple[int, int]:
    current = (today.month - 1) // 3 + 1
    return (today.year, current - 1) if current > 1 else (today.year - 1, 4)


def test_a_case_from_filing_to_actual_approval(
    page,
    live_server,
    sign_in,
    open_browser,
    office_user,
    contractor_a_member,
    recipient,
    agreement,
    reviewers,
    today,
    tmp_path,
    mailoutbox,
):
    experts, others = reviewers
    report_year, report_quarter = previous_quarter(today)
    starts_on = date(report_year, 3 * report_quarter - 2, 1)
    ends_on = date(starts_on.year + 2, starts_on.month, 1) - timedelta(days=1)
    requested = credits(VALUE, REQUESTED_MULTIPLIER)
    reserve = credits(VALUE, APPROVED_MULTIPLIER)
    assert money(reserve) == "20,370,370.19"  # 1,234,567.89 × 16.50 = …0.185, half up
    files = {}
    for name in ("application", "plan", "fee-commitment", "export-control", "evidence"):
        files[name] = tmp_path / f"{name}.pdf"
        files[name].write_bytes(PDF)

    # --- 1. The contractor files the case in English --------------------------------------
    sign_in(page, contractor_a_member.username)
    expect(page).to_have_url(f"{live_server.url}/home/contractor/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Cases", exact=True).click()
    expect(page.get_by_role("heading", name="Your cases")).to_be_visible()
    page.get_by_role("link", name="File a new case").click()
    page.get_by_label("Under which agreement?").select_option(
        label=f"{agreement.number} · Patriot missile system"
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="File a new case")).to_be_visible()
    expect(
        page.get_by_text(f"Under agreement {agreement.number} of Raytheon Company.")
    ).to_be_visible()

    page.get_by_label("Title (English)").fill("Radar module technology transfer to AIDC")
    page.get_by_label("Title (Chinese)").fill("雷達模組技術移轉漢翔")
    page.get_by_label("Use").select_option(label="Indirect defence")
    page.get_by_label("Field").select_option(label="Aerospace")
    page.get_by_label("Starts on").fill(starts_on.isoformat())
    page.get_by_label("Ends on").fill(ends_on.isoformat())
    page.get_by_label("Plan item").select_option(label="Radar module technology transfer")
    page.get_by_label("Description").fill("AIDC builds the radar's T/R modules under licence.")
    row = page.get_by_test_id("activity-rows").locator("tbody tr").first
    row.get_by_label("Mode").select_option(label="Technology transfer")
    row.get_by_label("Domestic recipient").select_option(label="AIDC")
    row.get_by_label("Value").fill(str(VALUE))
    row.get_by_label("Requested multiplier").fill(str(REQUESTED_MULTIPLIER))
    expect(row.locator("[data-credits]")).to_have_text(money(requested))
    _review(page, "20-contractor-case-form-en")
    page.get_by_role("button", name="Save the draft").click()

    expect(
        alert(page, "The case was saved as a draft. Attach its documents, then submit.")
    ).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Draft")
    number = page.get_by_test_id("case-number").inner_text()
    case = Case.objects.get(number=number)
    case_url = f"{live_server.url}/cases/{case.pk}/"
    expect(page).to_have_url(case_url)
    expect(page.get_by_test_id("case-title")).to_have_text(
        "Radar module technology transfer to AIDC"
    )
    activities = page.get_by_test_id("activities")
    expect(activities.locator("tbody tr")).to_have_count(1)
    expect(activities.locator("tbody tr")).to_contain_text(money(requested))
    missing = page.get_by_test_id("missing-documents")
    expect(missing).to_contain_text("fee commitment of AIDC")
    expect(missing).to_contain_text("export control commitment of AIDC")

    # The documents the submission needs: application, plan, and the recipient's two
    # commitments for the technology transfer.
    uploads = [
        (DocumentKind.APPLICATION, None, files["application"]),
        (DocumentKind.PLAN, None, files["plan"]),
        (DocumentKind.FEE_COMMITMENT, "Technology transfer · AIDC", files["fee-commitment"]),
        (
            DocumentKind.EXPORT_CONTROL_COMMITMENT,
            "Technology transfer · AIDC",
            files["export-control"],
        ),
    ]
    documents = page.get_by_test_id("documents")
    for count, (kind, activity, path) in enumerate(uploads, start=1):
        form = page.get_by_test_id("upload-form")
        form.get_by_label("Kind").select_option(kind.value)
        if activity:
            form.get_by_label("Activity").select_option(label=activity)
        form.get_by_label("File (PDF)").set_input_files(path)
        form.get_by_role("button", name="Upload").click()
        expect(alert(page, "The document was attached.")).to_be_visible()
        expect(documents.get_by_role("link", name=path.name)).to_be_visible()
        expect(documents.locator("li")).to_have_count(count)
    expect(page.get_by_test_id("missing-documents")).to_have_count(0)
    _review(page, "21-contractor-case-documents-en")

    page.get_by_role("button", name="Submit to the ICP office").click()
    expect(alert(page, "The case was submitted to the ICP office.")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Submitted")
    assert f"Case {number} received" in [
        m.subject for m in mailoutbox if contractor_a_member.email in m.to
    ]

    # --- 2. The office: checklist and initial review ----------------------------------------
    staff = open_browser()
    sign_in(staff, office_user.username)
    expect(staff).to_have_url(f"{live_server.url}/home/office/")
    staff.get_by_role("link", name=zh("Cases"), exact=True).click()
    staff.get_by_test_id("case-list").get_by_role("link", name=number).click()
    expect(staff).to_have_url(case_url)
    expect(staff.get_by_test_id("case-status")).to_have_text(zh(CaseStatus.SUBMITTED.label))
    expect(staff.get_by_test_id("case-title")).to_have_text("雷達模組技術移轉漢翔")
    staff.get_by_role("button", name=zh("Start the basic requirements check")).click()
    expect(alert(staff, zh("The basic requirements check has started."))).to_be_visible()
    expect(staff.get_by_test_id("case-status")).to_have_text(zh(CaseStatus.CHECKLIST.label))

    checklist = staff.get_by_test_id("checklist")
    computed = [
        "Commitments attached (fee; export control for technology transfer)",
        "Contractor has no bad record",
        "Activities match the agreement's ICP plan",
        "Requested credits fit in the agreement's available credit",
        "Briefing held after the procurement contract was signed",
    ]
    for label in computed:
        item = checklist.locator("li").filter(has_text=zh(label))
        expect(item.locator(".badge")).to_have_text(zh(ChecklistResult.PASS.label))
    for label, note in (
        ("Forms complete and in format", "All forms signed and in the 2011 format."),
        ("Domestic recipients chosen publicly", "AIDC chosen after the public briefing."),
    ):
        item = checklist.locator("li").filter(has_text=zh(label))
        expect(item.locator(".badge")).to_have_text(zh(ChecklistResult.UNKNOWN.label))
        item.get_by_label(zh("Result")).select_option("pass")
        item.get_by_label(zh("Note")).fill(note)
        item.get_by_role("button", name=zh("Confirm")).click()
        expect(alert(staff, zh("The checklist item was confirmed."))).to_be_visible()
        expect(item.locator(".badge")).to_have_text(zh(ChecklistResult.PASS.label))

    _review(staff, "22-staff-case-checklist-zh")
    actions = staff.get_by_test_id("actions")
    actions.get_by_text(zh("Write the initial review opinion")).click()
    actions.get_by_role("textbox", name=field(InitialReviewForm, "opinion"), exact=True).fill(
        "文件齊備，乘數申請在標準範圍內，建議送產業分組委員會審查。"
    )
    actions.get_by_role("button", name=zh("Record the opinion")).click()
    expect(alert(staff, zh("The initial review opinion was recorded."))).to_be_visible()
    expect(staff.get_by_test_id("case-status")).to_have_text(zh(CaseStatus.INITIAL_REVIEW.label))
    expect(staff.get_by_test_id("reviews")).to_contain_text("建議送產業分組委員會審查")

    # A sub-committee of six: four experts and two others; the case on its agenda.
    staff.get_by_role("link", name=zh("Put it on a sub-committee meeting's agenda")).click()
    staff.get_by_role("link", name=zh("Plan a meeting")).click()
    form = staff.get_by_test_id("meeting-form")
    form.get_by_label(field(MeetingForm, "kind")).select_option("subcommittee")
    form.get_by_label(field(MeetingForm, "year")).fill(str(today.year))
    form.get_by_label(field(MeetingForm, "number")).fill("1")
    form.get_by_label(field(MeetingForm, "held_on")).fill(today.isoformat())
    form.get_by_label(field(MeetingForm, "title"), exact=True).fill("航太產業分組委員會")
    members = experts[:4] + others
    for profile in members:
        form.get_by_label(profile.user.name).check()
    _review(staff, "23-staff-subcommittee-form-zh")
    form.get_by_role("button", name=zh("Plan the meeting")).click()
    expect(alert(staff, zh("The meeting was planned. Now build its agenda."))).to_be_visible()
    subcommittee = Meeting.objects.get(kind="subcommittee")
    subcommittee_url = f"{live_server.url}/meetings/{subcommittee.pk}/"
    expect(staff).to_have_url(subcommittee_url)
    expect(staff.get_by_test_id("members").locator("li")).to_have_count(6)
    agenda = staff.get_by_test_id("agenda-form")
    agenda.get_by_label(field(AgendaAddForm, "case")).fill(number)
    agenda.get_by_label(field(AgendaAddForm, "kind")).select_option("case_review")
    agenda.get_by_role("button", name=zh("Add"), exact=True).click()
    expect(alert(staff, zh("The case was put on the agenda."))).to_be_visible()
    item = staff.get_by_test_id("agenda-item").filter(has_text=number)
    expect(item).to_contain_text(zh(CaseStatus.SUBCOMMITTEE_REVIEW.label))

    # --- 3. Two members file their opinions; the office records the outcome ---------------
    reviewer = open_browser()
    for profile, opinion in (
        (experts[0], "技術層級高，移轉內容具體，建議通過。"),
        (others[0], "承接單位具備量產能力，建議通過。"),
    ):
        sign_in(reviewer, profile.user.username)
        expect(reviewer).to_have_url(f"{live_server.url}/home/reviewer/")
        reviewer.get_by_test_id("reviewer-meetings").get_by_role(
            "link", name=zh(subcommittee)
        ).click()
        expect(reviewer).to_have_url(subcommittee_url)
        card = reviewer.get_by_test_id("agenda-item").filter(has_text=number)
        opinion_form = card.get_by_test_id("opinion-form")
        _review(reviewer, f"24-reviewer-meeting-{profile.user.username}-zh")
        opinion_form.get_by_label(field(OpinionForm, "recommendation")).select_option("pass")
        opinion_form.get_by_label(field(OpinionForm, "opinion")).fill(opinion)
        opinion_form.get_by_role("button", name=zh("File your opinion")).click()
        expect(
            alert(reviewer, zh("Your opinion on %(case)s was filed.") % {"case": number})
        ).to_be_visible()
        expect(card).to_contain_text(opinion)
        reviewer.get_by_test_id("signed-in-as").click()
        reviewer.get_by_role("button", name=zh("Sign out")).click()
        expect(reviewer).to_have_url(re.compile(r"/accounts/login/"))

    staff.goto(subcommittee_url)
    item = staff.get_by_test_id("agenda-item").filter(has_text=number)
    expect(item).to_contain_text("技術層級高")
    expect(item).to_contain_text("承接單位具備量產能力")
    item.get_by_role("link", name=zh("Record the sub-committee's outcome on the case page")).click()
    expect(staff).to_have_url(case_url)
    actions = staff.get_by_test_id("actions")
    _review(staff, "25-staff-case-subcommittee-zh")
    actions.get_by_text(zh("Record the sub-committee's outcome")).click()
    actions.get_by_label(field(SubcommitteeOutcomeForm, "outcome")).select_option("pass")
    actions.get_by_role("button", name=zh("Record the outcome")).click()
    expect(alert(staff, zh("The sub-committee's outcome was recorded."))).to_be_visible()
    expect(staff.get_by_test_id("subcommittee-outcome")).to_have_text(
        zh(SubcommitteeOutcome.PASS.label)
    )

    # --- 4. The promotion committee pre-approves; the minutes are approved -----------------
    activity_label = f"{zh(Mode.TECHNOLOGY_TRANSFER.label)} · {recipient.name_zh}"

    def promotion_meeting(number_in_year: int, title: str):
        staff.goto(f"{live_server.url}/meetings/")
        staff.get_by_role("link", name=zh("Plan a meeting")).click()
        form = staff.get_by_test_id("meeting-form")
        form.get_by_label(field(MeetingForm, "kind")).select_option("promotion_committee")
        form.get_by_label(field(MeetingForm, "year")).fill(str(today.year))
        form.get_by_label(field(MeetingForm, "number")).fill(str(number_in_year))
        form.get_by_label(field(MeetingForm, "held_on")).fill(today.isoformat())
        form.get_by_label(field(MeetingForm, "title"), exact=True).fill(title)
        form.get_by_role("button", name=zh("Plan the meeting")).click()
        expect(alert(staff, zh("The meeting was planned. Now build its agenda."))).to_be_visible()

    def decide_and_approve_minutes(agenda_kind: str, figure: Decimal):
        agenda = staff.get_by_test_id("agenda-form")
        agenda.get_by_label(field(AgendaAddForm, "case")).fill(number)
        agenda.get_by_label(field(AgendaAddForm, "kind")).select_option(agenda_kind)
        agenda.get_by_role("button", name=zh("Add"), exact=True).click()
        expect(alert(staff, zh("The case was put on the agenda."))).to_be_visible()
        decision = staff.get_by_test_id("agenda-item").filter(has_text=number)
        decision.get_by_label(field(DecisionForm, "outcome")).select_option("approved")
        decision.get_by_label(activity_label).fill(str(figure))
        decision.get_by_role("button", name=zh("Save the decision")).click()
        expect(
            alert(staff, zh("The decision on %(case)s was recorded.") % {"case": number})
        ).to_be_visible()
        expect(decision.get_by_test_id("decision")).to_contain_text(zh(Outcome.APPROVED.label))
        minutes = staff.get_by_test_id("minutes-form")
        expect(minutes.get_by_label(field(MinutesApproveForm, "approved_on"))).to_have_value(
            today.isoformat()
        )
        _review(staff, f"26-staff-meeting-{agenda_kind}-zh")
        minutes.get_by_role("button", name=zh("Approve the minutes")).click()
        expect(
            alert(
                staff,
                zh(
                    "The minutes were approved and every decision applied to its case and the "
                    "ledger."
                ),
            )
        ).to_be_visible()
        expect(staff.get_by_test_id("minutes-approved")).to_be_visible()
        expect(staff.get_by_test_id("minutes-form")).to_have_count(0)

    staff.goto(case_url)
    staff.get_by_role("link", name=zh("Put it on a promotion committee meeting's agenda")).click()
    expect(staff).to_have_url(f"{live_server.url}/meetings/")
    promotion_meeting(1, "工業合作推動小組第1次會議")
    decide_and_approve_minutes("pre_approval", APPROVED_MULTIPLIER)
    expect(staff.get_by_test_id("agenda-item").filter(has_text=number)).to_contain_text(
        f"{APPROVED_MULTIPLIER}× = {money(reserve)}"
    )
    staff.goto(case_url)
    expect(staff.get_by_test_id("case-status")).to_have_text(zh(CaseStatus.PRE_APPROVED.label))

    # --- 5. The agreement's balance shows the reserve (the contractor's view) --------------
    page.goto(case_url)
    expect(page.get_by_test_id("case-status")).to_have_text("Pre-approved")
    expect(page.get_by_test_id("activities").locator("tfoot")).to_contain_text(money(reserve))
    page.get_by_role("link", name=agreement.number).click()
    expect(page).to_have_url(f"{live_server.url}/agreements/{agreement.pk}/")
    balance = page.get_by_test_id("balance")
    expect(figure(balance, "Obligation")).to_have_text(f"{money(OBLIGATION)} USD points")
    expect(figure(balance, "Reserved (pre-approved)")).to_have_text(money(reserve))
    expect(figure(balance, "Discharged")).to_have_text("0.00")
    expect(page.get_by_test_id("available")).to_have_text(money(OBLIGATION - reserve))
    _review(page, "27-contractor-agreement-reserve-en")

    # --- 6. A quarterly progress report, the completion evidence, the request -------------
    page.goto(case_url)
    actions = page.get_by_test_id("actions")
    actions.get_by_text("File a quarterly progress report").click()
    actions.get_by_label("Year").fill(str(report_year))
    actions.get_by_label("Quarter").select_option(str(report_quarter))
    actions.get_by_label("Percent complete").fill("100")
    actions.get_by_label("Progress").fill(
        "All T/R module drawings and process specifications delivered; AIDC's first article "
        "passed acceptance."
    )
    actions.get_by_role("button", name="File the report").click()
    expect(alert(page, "The progress report was filed.")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("In execution")
    reports = page.get_by_test_id("progress-reports")
    filed = reports.get_by_role("row").filter(has_text=f"{report_year} Q{report_quarter}")
    expect(filed).to_contain_text("Filed")
    expect(filed).to_contain_text("100%")

    form = page.get_by_test_id("upload-form")
    form.get_by_label("Kind").select_option(DocumentKind.PROGRESS_EVIDENCE.value)
    form.get_by_label("File (PDF)").set_input_files(files["evidence"])
    form.get_by_role("button", name="Upload").click()
    expect(alert(page, "The document was attached.")).to_be_visible()
    expect(
        page.get_by_test_id("documents").get_by_role("link", name="evidence.pdf")
    ).to_be_visible()

    _review(page, "28-contractor-case-in-execution-en")
    request = page.locator("form[action$='/request-actual-approval/']")
    actions = page.get_by_test_id("actions")
    actions.locator("summary").filter(has_text="Request actual approval").click()
    request.get_by_label("Note").fill("Transfer completed; acceptance report attached.")
    request.get_by_role("button", name="Request actual approval").click()
    expect(alert(page, "Actual approval was requested.")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Actual approval requested")

    # --- 7. The promotion committee approves the actual credits -----------------------------
    staff.goto(case_url)
    expect(staff.get_by_test_id("case-status")).to_have_text(zh(CaseStatus.ACTUAL_REQUESTED.label))
    promotion_meeting(2, "工業合作推動小組第2次會議")
    decide_and_approve_minutes("actual_approval", ACTUAL_CREDITS)
    staff.goto(case_url)
    expect(staff.get_by_test_id("case-status")).to_have_text(zh(CaseStatus.ACTUALLY_APPROVED.label))

    # --- 8. The balance shows the discharge and the reserve released -----------------------
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    balance = page.get_by_test_id("balance")
    expect(figure(balance, "Reserved (pre-approved)")).to_have_text("0.00")
    expect(figure(balance, "Discharged")).to_have_text(money(ACTUAL_CREDITS))
    expect(figure(balance, "Outstanding")).to_have_text(money(OBLIGATION - ACTUAL_CREDITS))
    expect(page.get_by_test_id("available")).to_have_text(money(OBLIGATION - ACTUAL_CREDITS))
    _review(page, "29-contractor-agreement-discharged-en")
    ledger = page.locator("table.table-striped tbody tr")
    expect(ledger).to_have_count(4)
    expect(ledger.nth(1)).to_contain_text("Pre-approval reserve")
    expect(ledger.nth(2)).to_contain_text("Reserve release")
    expect(ledger.nth(2)).to_contain_text(money(reserve))
    expect(ledger.nth(3)).to_contain_text("Actual credit")
    expect(ledger.nth(3)).to_contain_text(money(ACTUAL_CREDITS))

    # The case page: actually approved, nothing left reserved, and its whole timeline.
    page.goto(case_url)
    expect(page.get_by_test_id("case-status")).to_have_text("Actually approved")
    expect(page.get_by_test_id("activities").locator("tfoot")).to_contain_text(
        money(ACTUAL_CREDITS)
    )
    expect(page.get_by_test_id("ledger").locator("tbody tr")).to_have_count(3)
    expect(page.get_by_text("Still reserved on the agreement for this case: 0.00")).to_be_visible()
    _review(page, "30-contractor-case-actually-approved-en")
    timeline = page.get_by_test_id("timeline").locator("tbody tr")
    expect(timeline.last).to_contain_text("Actually approved")
    assert timeline.locator("td:nth-child(3)").all_inner_texts() == [
        "Filed as a draft",
        *["Document attached"] * 4,
        "Submitted",
        "Basic requirements check started",
        *["Checklist item confirmed"] * 2,
        "Initial review opinion",
        "Sent to a sub-committee",
        "Sub-committee: passed or forwarded",
        "Put on the committee's agenda",
        "Pre-approved",
        "Execution started",
        "Progress report filed",
        "Document attached",
        "Actual approval requested",
        "Actually approved",
    ]
    expect(timeline.last).to_contain_text("Actual approval requested → Actually approved")
    decisions = [m.subject for m in mailoutbox if contractor_a_member.email in m.to]
    assert decisions.count(f"Case {number}: the committee's decision") == 2
