"""Case pages: the case page for the people who may see it (404 for anybody else, also for
guessed document URLs), filing and editing with activity rows, documents (PDF only, private
download), workflow buttons whose refusals are messages, and the work queue."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import services as agreement_services
from agreements.choices import CaseUse, Mode
from cases import selectors as case_selectors
from cases import services
from cases.choices import CaseStatus, DocumentKind
from cases.models import Activity, Case, CaseDocument
from icp_portal.lib.uploads import blank_pdf
from organizations.models import Organization
from tests.factories import OrganizationFactory, ProcurementFactory, make_agreement

D = Decimal
PDF = blank_pdf()  # a real one-page PDF: uploads are parsed


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def agreement(office_user, contractor_a):
    agreement = make_agreement(
        contractor=contractor_a,
        actor=office_user,
        obligation="30000000.00",
        signed_on=date(2011, 1, 10),
        procurement=ProcurementFactory(contract_signed_on=date(2010, 12, 1)),
    )
    for mode in (Mode.TECHNOLOGY_TRANSFER, Mode.DOMESTIC_PROCUREMENT):
        agreement_services.plan_item_add(
            agreement=agreement, mode=mode, title=f"{mode} item", actor=office_user
        )
    agreement_services.briefing_record(
        agreement=agreement, held_on=date(2011, 2, 15), title="招商說明會", actor=office_user
    )
    return agreement


@pytest.fixture
def agreement_b(office_user, contractor_b):
    return make_agreement(contractor=contractor_b, actor=office_user, obligation="5000000.00")


@pytest.fixture
def non_profit_recipient(db):
    return OrganizationFactory(
        kind="domestic_recipient",
        name_zh="國家中山科學研究院",
        name_en="NCSIST",
        country="TW",
        profit_making=False,
    )


def make_case(
    agreement, actor, recipient, title="MRJ parts technology transfer", multiplier="1.00"
) -> Case:
    return services.case_create(
        agreement=agreement,
        actor=actor,
        activities=[
            {
                "mode": Mode.TECHNOLOGY_TRANSFER,
                "recipient": recipient,
                "value": D("500000.00"),
                "requested_multiplier": D(multiplier),
            }
        ],
        title_zh="MRJ零組件技術移轉",
        title_en=title,
        use=CaseUse.INDIRECT_DEFENCE,
        field="aerospace",
        starts_on=date(2011, 4, 1),
        ends_on=date(2013, 3, 31),
    )


def pdf(name="plan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def attach_all(case, actor):
    """The documents a case needs before it can be submitted."""
    services.document_upload(case=case, kind=DocumentKind.APPLICATION, upload=pdf(), actor=actor)
    services.document_upload(case=case, kind=DocumentKind.PLAN, upload=pdf(), actor=actor)
    for activity in case.activities.select_related("recipient"):
        if activity.recipient.profit_making:
            services.document_upload(
                case=case,
                kind=DocumentKind.FEE_COMMITMENT,
                upload=pdf(),
                activity=activity,
                actor=actor,
            )
        if activity.mode == Mode.TECHNOLOGY_TRANSFER:
            services.document_upload(
                case=case,
                kind=DocumentKind.EXPORT_CONTROL_COMMITMENT,
                upload=pdf(),
                activity=activity,
                actor=actor,
            )


def sign_in(client, user, language="en"):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_case_page_renders_for_staff_and_the_contractor(
    client, office_user, contractor_a_member, agreement, recipient
):
    case = make_case(agreement, contractor_a_member, recipient)
    sign_in(client, office_user, language="zh-hant")
    page = client.get(reverse("case_detail", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert case.number in html and "MRJ零組件技術移轉" in html
    assert 'data-testid="checklist"' in html and 'data-testid="timeline"' in html
    # The office may confirm the two items the portal cannot compute, once it is submitted.
    assert reverse("case_checklist_confirm", args=[case.pk, "forms_complete"]) not in html

    sign_in(client, contractor_a_member)
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "MRJ parts technology transfer" in html
    assert "Submit to the ICP office" in html
    assert reverse("case_edit", args=[case.pk]) in html
    assert "Start the basic requirements check" not in html


def test_another_contractor_gets_404_for_the_case_and_its_documents(
    client, contractor_a_member, contractor_b_member, agreement, agreement_b, recipient
):
    case = make_case(agreement, contractor_a_member, recipient)
    document = services.document_upload(
        case=case, kind=DocumentKind.PLAN, upload=pdf(), actor=contractor_a_member
    )
    own = make_case(agreement_b, contractor_b_member, recipient, title="Boeing case")
    sign_in(client, contractor_b_member)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("case_edit", args=[case.pk])).status_code == 404
    download = reverse("case_document_download", args=[case.pk, document.pk])
    assert client.get(download).status_code == 404
    # Guessing: another case's document id under one's own case.
    guessed = reverse("case_document_download", args=[own.pk, document.pk])
    assert client.get(guessed).status_code == 404
    assert client.post(reverse("case_submit", args=[case.pk])).status_code == 404
    listing = client.get(reverse("case_list")).content.decode()
    assert own.number in listing and case.number not in listing


def _filing_data(agreement, rows, **fields):
    data = {
        "title_en": "2MW wind-turbine gearbox technology transfer",
        "title_zh": "2MW風力機齒輪箱技術移轉",
        "use": CaseUse.INDUSTRY,
        "field": "energy",
        "starts_on": "2011-06-01",
        "ends_on": "2014-05-31",
        "plan_item": agreement.plan_items.first().pk,
        "description": "Gearbox design and assembly know-how.",
        "activities-TOTAL_FORMS": str(len(rows)),
        "activities-INITIAL_FORMS": "0",
        "activities-MIN_NUM_FORMS": "0",
        "activities-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"activities-{index}-{key}"] = value
    return data


def test_contractor_files_a_case_with_two_activities_and_edits_it(
    client, contractor_a_member, agreement, recipient, non_profit_recipient
):
    sign_in(client, contractor_a_member)
    picker = client.get(reverse("case_create"))
    assert agreement.number in picker.content.decode()
    url = reverse("case_create") + f"?agreement={agreement.pk}"
    form = client.get(url)
    assert form.status_code == 200
    assert 'id="activity-empty-row"' in form.content.decode()
    rows = [
        {
            "mode": "technology_transfer",
            "recipient": recipient.pk,
            "value": "500000.00",
            "requested_multiplier": "18.00",
        },
        {
            "mode": "domestic_procurement",
            "recipient": non_profit_recipient.pk,
            "value": "1000000.25",
            "requested_multiplier": "2.00",
        },
    ]
    response = client.post(url, _filing_data(agreement, rows))
    case = Case.objects.get(title_en="2MW wind-turbine gearbox technology transfer")
    assert response.status_code == 302 and response.url == reverse("case_detail", args=[case.pk])
    assert case.status == CaseStatus.DRAFT and case.agreement == agreement
    assert [a.requested_credits for a in case.activities.order_by("id")] == [
        D("9000000.00"),
        D("2000000.50"),
    ]

    edit_url = reverse("case_edit", args=[case.pk])
    page = client.get(edit_url).content.decode()
    assert 'value="500000.00"' in page and "activities-2-mode" in page  # two rows + a spare
    edited = _filing_data(
        agreement,
        [{**rows[0], "value": "600000.00"}, {**rows[1], "DELETE": "on"}, {}],
        title_en="Gearbox technology transfer (revised)",
    )
    edited["activities-INITIAL_FORMS"] = "2"
    response = client.post(edit_url, edited)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title_en == "Gearbox technology transfer (revised)"
    assert [(a.mode, a.requested_credits) for a in case.activities.all()] == [
        ("technology_transfer", D("10800000.00"))
    ]


def test_a_barred_recipient_is_refused_on_the_form_with_the_reason(
    client, contractor_a_member, agreement, recipient
):
    Organization.objects.filter(pk=recipient.pk).update(barred=True)
    sign_in(client, contractor_a_member)
    url = reverse("case_create") + f"?agreement={agreement.pk}"
    rows = [
        {
            "mode": "technology_transfer",
            "recipient": recipient.pk,
            "value": "500000.00",
            "requested_multiplier": "18.00",
        }
    ]
    response = client.post(url, _filing_data(agreement, rows))
    assert response.status_code == 200
    assert "barred from ICP cases" in response.content.decode()
    assert not Case.objects.exists()


def test_a_case_cannot_be_edited_once_submitted(client, contractor_a_member, agreement, recipient):
    case = make_case(agreement, contractor_a_member, recipient)
    attach_all(case, contractor_a_member)
    services.case_submit(case=case, actor=contractor_a_member)
    sign_in(client, contractor_a_member)
    response = client.get(reverse("case_edit", args=[case.pk]))
    assert response.status_code == 302
    assert any("not possible" in text for text in texts(response))


def test_a_non_pdf_upload_is_refused_and_a_pdf_is_attached_and_downloads(
    client, contractor_a_member, office_user, agreement, recipient
):
    case = make_case(agreement, contractor_a_member, recipient)
    sign_in(client, contractor_a_member)
    url = reverse("case_document_upload", args=[case.pk])
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client.post(url, {"kind": DocumentKind.PLAN, "file": fake})
    assert refused.status_code == 200
    assert "this file is not a PDF" in refused.content.decode()
    assert not CaseDocument.objects.exists()

    activity = case.activities.get()
    response = client.post(
        url,
        {
            "kind": DocumentKind.FEE_COMMITMENT,
            "activity": activity.pk,
            "file": pdf("fee commitment.pdf"),
        },
    )
    assert response.status_code == 302
    document = CaseDocument.objects.get()
    assert document.activity == activity and document.original_name == "fee commitment.pdf"
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    download = reverse("case_document_download", args=[case.pk, document.pk])
    assert download in page and "fee commitment.pdf" in page

    for person in (contractor_a_member, office_user):
        client.force_login(person)
        file = client.get(download)
        assert file.status_code == 200
        assert file["Content-Type"] == "application/pdf"
        assert "attachment" in file["Content-Disposition"]
        assert b"".join(file.streaming_content) == PDF


def test_a_transition_that_is_not_allowed_gives_a_message_not_an_error(
    client, contractor_a_member, office_user, agreement, recipient
):
    case = make_case(agreement, contractor_a_member, recipient)
    sign_in(client, office_user)
    response = client.post(reverse("case_start_checklist", args=[case.pk]))
    assert response.status_code == 302 and response.url == reverse("case_detail", args=[case.pk])
    assert any("not possible while the case is" in text for text in texts(response))

    # Submitting without the documents: the service's reason shows on the case page.
    sign_in(client, contractor_a_member)
    response = client.post(reverse("case_submit", args=[case.pk]))
    assert response.status_code == 200
    assert "Missing documents" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT

    attach_all(case, contractor_a_member)
    response = client.post(reverse("case_submit", args=[case.pk]), follow=True)
    assert "The case was submitted" in response.content.decode()
    again = client.post(reverse("case_submit", args=[case.pk]))
    assert again.status_code == 302
    assert any("not possible while the case is" in text for text in texts(again))


def test_staff_check_confirm_and_review_a_case_through_its_page(
    client, contractor_a_member, office_user, agreement, recipient
):
    case = make_case(agreement, contractor_a_member, recipient)
    attach_all(case, contractor_a_member)
    services.case_submit(case=case, actor=contractor_a_member)
    sign_in(client, office_user)
    client.post(reverse("case_start_checklist", args=[case.pk]))
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    confirm = reverse("case_checklist_confirm", args=[case.pk, "forms_complete"])
    assert confirm in page
    response = client.post(
        confirm,
        {
            "confirm-forms_complete-code": "forms_complete",
            "confirm-forms_complete-result": "pass",
            "confirm-forms_complete-note": "All forms in order.",
        },
    )
    assert response.status_code == 302
    assert case.checklist_confirmations.get(code="forms_complete").result == "pass"

    empty = client.post(
        reverse("case_initial_review", args=[case.pk]), {"initial_review-opinion": ""}
    )
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    client.post(
        reverse("case_initial_review", args=[case.pk]),
        {"initial_review-opinion": "Value confirmed with the aerospace promotion group."},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.INITIAL_REVIEW
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Value confirmed with the aerospace promotion group." in html
    assert "Initial review opinion" in html  # the timeline names the step

    response = client.post(
        reverse("case_return_for_supplement", args=[case.pk]),
        {"return_for_supplement-request": "Please attach the notarised fee commitment."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPLEMENT_REQUESTED
    sign_in(client, contractor_a_member)
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Please attach the notarised fee commitment." in html


def test_a_contractor_withdraws_its_case(client, contractor_a_member, agreement, recipient):
    case = make_case(agreement, contractor_a_member, recipient)
    sign_in(client, contractor_a_member)
    response = client.post(
        reverse("case_withdraw", args=[case.pk]), {"withdraw-reason": "Plan changed."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN


def test_the_work_queue_lists_oldest_submitted_first_and_filters(
    client, office_user, contractor_a_member, contractor_b_member, agreement, agreement_b, recipient
):
    first = make_case(agreement, contractor_a_member, recipient, title="First")
    second = make_case(agreement_b, contractor_b_member, recipient, title="Second")
    draft = make_case(agreement, contractor_a_member, recipient, title="Draft")
    for case, actor in ((first, contractor_a_member), (second, contractor_b_member)):
        attach_all(case, actor)
        services.case_submit(case=case, actor=actor)
    sign_in(client, office_user)
    response = client.get(reverse("case_list"))
    numbers = [case.number for case in response.context["page"]]
    assert numbers == [first.number, second.number, draft.number]
    submitted = client.get(reverse("case_list"), {"status": ["submitted"]})
    assert [c.pk for c in submitted.context["page"]] == [first.pk, second.pk]
    by_contractor = client.get(reverse("case_list"), {"contractor": agreement_b.contractor_id})
    assert [c.pk for c in by_contractor.context["page"]] == [second.pk]
    found = client.get(reverse("case_list"), {"q": "Draft"})
    assert [c.pk for c in found.context["page"]] == [draft.pk]


def test_the_work_queue_counts_the_cases_it_lists_from_its_counts_by_status(
    client, office_user, contractor_a_member, agreement, recipient
):
    cases = [make_case(agreement, contractor_a_member, recipient, title=f"C{i}") for i in range(5)]
    for case in cases[:3]:
        attach_all(case, contractor_a_member)
        services.case_submit(case=case, actor=contractor_a_member)
    # A second activity on one case: the mode filter joins the activities (DISTINCT).
    Activity.objects.create(
        case=cases[0], mode=Mode.TECHNOLOGY_TRANSFER, recipient=recipient,
        value=D("1.00"), requested_multiplier=D("1.00"), requested_credits=D("1.00"),
    )  # fmt: skip
    sign_in(client, office_user)
    for query, expected in (
        ({}, 5),
        ({"status": ["submitted"]}, 3),
        ({"status": ["submitted", "draft"]}, 5),
        ({"status": ["closed"]}, 0),
        ({"mode": Mode.TECHNOLOGY_TRANSFER}, 5),
        ({"mode": Mode.TECHNOLOGY_TRANSFER, "status": ["draft"]}, 2),
        ({"q": "C1"}, 1),
        ({"status": ["nonsense"]}, 5),  # a refused filter lists every case
    ):
        response = client.get(reverse("case_list"), query)
        assert response.context["page"].paginator.count == expected, query
        assert len(response.context["page"]) == expected, query


def test_a_status_filter_adds_no_distinct_but_an_activity_filter_does(office_user):
    # DISTINCT made PostgreSQL sort every case of the statuses picked before taking 50.
    picked = case_selectors.case_list(user=office_user, filters={"status": ["submitted"]})
    assert not picked.query.distinct
    by_mode = case_selectors.case_list(user=office_user, filters={"mode": Mode.TRAINING})
    assert by_mode.query.distinct


def test_the_work_queue_query_count_does_not_grow_with_cases(
    client, office_user, contractor_a_member, agreement, recipient, django_assert_max_num_queries
):
    for index in range(3):
        make_case(agreement, contractor_a_member, recipient, title=f"Case {index}")
    sign_in(client, office_user)
    client.get(reverse("case_list"))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("case_list")).status_code == 200
    for index in range(3, 20):
        make_case(agreement, contractor_a_member, recipient, title=f"Case {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("case_list"))
    assert len(response.context["page"]) == 20


def test_a_reviewer_sees_no_case_until_assigned_and_cannot_file(
    client, reviewer_user, contractor_a_member, agreement, recipient
):
    case = make_case(agreement, contractor_a_member, recipient)
    sign_in(client, reviewer_user)
    assert client.get(reverse("case_list")).status_code == 200
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("case_create")).status_code == 403
