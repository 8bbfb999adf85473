"""The notifications inbox (issue 14): what the portal e-mails a person also lands in
their own list on the portal, in their language, read or unread (organizations/
notifications.py, the /inbox/ page, /api/v1/notifications/)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements import services as agreement_services
from agreements.choices import Mode
from cases import services as case_services
from cases.models import Case
from demand_items.models import CallRound
from icp_portal.lib.mail import silenced
from organizations.choices import NotificationKind
from organizations.models import Notification
from organizations.notifications import notify
from organizations.services import api_token_issue
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, make_agreement

D = Decimal
ROUND = {"round": CallRound(year=2011, quarter=1, closes_on=date(2011, 1, 25))}


def _notice(user, subject="Notice", *, minutes_ago=0, read=False, link="/cases/") -> Notification:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        user=user,
        kind=NotificationKind.CASE_RECEIVED,
        subject=subject,
        body=f"{subject}\n\nhttps://portal.example/cases/",
        link=link,
        created_at=at,
        read_at=at if read else None,
    )


def _signed_in(client, user, language="en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def case_in_execution(office_user, contractor_a, contractor_a_member):
    agreement = make_agreement(contractor=contractor_a, actor=office_user, obligation="30000000.00")
    agreement_services.multiplier_standard_set(
        agreement=agreement,
        mode=Mode.DOMESTIC_PROCUREMENT,
        min_multiplier=D("2"),
        max_multiplier=D("2"),
        effective_from=date(2011, 1, 10),
        actor=office_user,
    )
    recipient = OrganizationFactory(
        kind="domestic_recipient", name_zh="國家中山科學研究院", name_en="NCSIST"
    )
    case = case_services.case_create(
        agreement=agreement,
        actor=contractor_a_member,
        title_zh="甲",
        title_en="A",
        use="industry",
        field="aerospace",
        starts_on=date(2011, 4, 1),
        ends_on=date(2013, 3, 31),
        activities=[
            {
                "mode": Mode.DOMESTIC_PROCUREMENT,
                "recipient": recipient,
                "value": D("100.00"),
                "requested_multiplier": D("2.00"),
            }
        ],
    )
    Case.objects.filter(pk=case.pk).update(status="in_execution")
    return case


# --- What notify() writes -------------------------------------------------------------


def test_an_overdue_reminder_puts_one_notice_in_each_recipients_inbox_in_their_language(
    django_capture_on_commit_callbacks,
    office_user,
    contractor_a,
    contractor_a_member,
    case_in_execution,
):
    no_address = UserFactory(username="raytheon-no-mail", email="", language="zh-hant")
    MembershipFactory(user=no_address, organization=contractor_a)
    gone = UserFactory(username="raytheon-gone", is_active=False, language="en")
    MembershipFactory(user=gone, organization=contractor_a)

    with django_capture_on_commit_callbacks(execute=True):
        case_services.progress_reports_remind(today=date(2011, 7, 16), actor=office_user)

    by_user = {n.user: n for n in Notification.objects.all()}
    assert set(by_user) == {contractor_a_member, no_address, office_user}
    assert Notification.objects.filter(user=contractor_a_member).count() == 1
    assert "overdue" in by_user[contractor_a_member].subject  # English, as the contractor reads
    assert "逾期" in by_user[office_user].subject  # Chinese for the office
    assert "逾期" in by_user[no_address].subject
    for notice in by_user.values():
        assert notice.kind == NotificationKind.PROGRESS_REPORT_DUE
        assert notice.link == f"/cases/{case_in_execution.pk}/"
        assert notice.read_at is None
        assert case_in_execution.number in notice.body
    # The e-mails are unchanged: those with an address, each once; no inbox needs one.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [contractor_a_member.email, office_user.email]
    )


def test_an_act_rolled_back_leaves_no_notice_and_sends_no_mail(
    django_capture_on_commit_callbacks, office_user, case_in_execution
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        case_services.progress_reports_remind(today=date(2011, 7, 16), actor=office_user)
        assert Notification.objects.exists()
        raise RuntimeError("the act fails after notifying")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_silenced_history_writes_no_notice_and_inbox_only_silence_writes_notices_without_mail(
    django_capture_on_commit_callbacks, db
):
    user = UserFactory(email="someone@example.com", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        with silenced():
            assert notify([user], "round_opened", ROUND, link="/demand-items/") == 0
        assert not Notification.objects.exists()
        with silenced(inbox=True):
            assert notify([user], "round_opened", ROUND, link="/demand-items/") == 0
    assert mail.outbox == []
    notice = Notification.objects.get()
    assert notice.user == user and notice.link == "/demand-items/"
    assert "2011" in notice.subject


# --- The inbox page ---------------------------------------------------------------------


def test_the_inbox_lists_only_ones_own_notices_newest_first_unread_marked(
    client, contractor_a_member, contractor_b_member
):
    _notice(contractor_a_member, "Older, read", minutes_ago=10, read=True)
    _notice(contractor_a_member, "Newer, unread", minutes_ago=1)
    _notice(contractor_b_member, "Someone else's")
    page = _signed_in(client, contractor_a_member).get("/inbox/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Newer, unread") < html.index("Older, read")
    assert "Someone else&#x27;s" not in html and "Someone else's" not in html
    assert html.count('data-testid="notification-unread"') == 1
    assert "fw-bold" in html.split("Newer, unread")[0].rsplit("<button", 1)[1]


def test_the_unread_filter_shows_only_unread_notices(client, contractor_a_member):
    _notice(contractor_a_member, "Read one", read=True)
    _notice(contractor_a_member, "Unread one")
    html = _signed_in(client, contractor_a_member).get("/inbox/?unread=true").content.decode()
    assert "Unread one" in html and "Read one" not in html


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(client, contractor_a_member):
    notice = _notice(contractor_a_member, link="/cases/42/")
    response = _signed_in(client, contractor_a_member).post(f"/inbox/{notice.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/cases/42/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_marking_a_notice_read_stays_on_the_inbox_page(client, contractor_a_member):
    notice = _notice(contractor_a_member)
    response = _signed_in(client, contractor_a_member).post(
        f"/inbox/{notice.pk}/open/", {"go": "back", "back": "/inbox/?unread=true"}
    )
    assert response.status_code == 302 and response["Location"] == "/inbox/?unread=true"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_notice_never_redirects_off_the_portal(client, contractor_a_member):
    notice = _notice(contractor_a_member, link="https://evil.example/")
    client = _signed_in(client, contractor_a_member)
    assert client.post(f"/inbox/{notice.pk}/open/")["Location"] == "/inbox/"
    back = client.post(f"/inbox/{notice.pk}/open/", {"go": "back", "back": "//evil.example/"})
    assert back["Location"] == "/inbox/"


def test_a_notice_is_opened_by_post_only(client, contractor_a_member):
    notice = _notice(contractor_a_member)
    assert (
        _signed_in(client, contractor_a_member).get(f"/inbox/{notice.pk}/open/").status_code == 405
    )
    notice.refresh_from_db()
    assert notice.read_at is None


def test_someone_elses_notice_is_not_found_and_stays_unread(
    client, contractor_a_member, contractor_b_member
):
    theirs = _notice(contractor_b_member)
    response = _signed_in(client, contractor_a_member).post(f"/inbox/{theirs.pk}/open/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_marks_only_ones_own_notices(
    client, contractor_a_member, contractor_b_member
):
    mine = [_notice(contractor_a_member), _notice(contractor_a_member)]
    theirs = _notice(contractor_b_member)
    response = _signed_in(client, contractor_a_member).post("/inbox/read-all/")
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_a_notice_read_keeps_the_time_it_was_first_read(client, contractor_a_member):
    notice = _notice(contractor_a_member, read=True, minutes_ago=60)
    first = notice.read_at
    client = _signed_in(client, contractor_a_member)
    client.post(f"/inbox/{notice.pk}/open/")
    client.post("/inbox/read-all/")
    notice.refresh_from_db()
    assert notice.read_at == first


def test_the_navigation_shows_the_unread_count_with_an_accessible_label(
    client, contractor_a_member
):
    for _ in range(3):
        _notice(contractor_a_member)
    _notice(contractor_a_member, read=True)
    html = _signed_in(client, contractor_a_member).get("/account/api-keys/").content.decode()
    assert 'aria-label="Notifications, 3 unread"' in html
    assert 'data-testid="nav-inbox-unread">3</span>' in html

    Notification.objects.update(read_at=timezone.now())
    html = client.get("/account/api-keys/").content.decode()
    assert 'aria-label="Notifications, none unread"' in html
    assert "nav-inbox-unread" not in html


def test_the_navigation_badge_reads_in_chinese(client, office_user):
    _notice(office_user)
    html = _signed_in(client, office_user, "zh-hant").get("/account/api-keys/").content.decode()
    assert 'aria-label="通知，1 則未讀"' in html


def test_the_unread_count_costs_one_query_a_page(client, contractor_a_member):
    _notice(contractor_a_member)
    client = _signed_in(client, contractor_a_member)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/inbox/").status_code == 200
    counts = [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    inbox_counts = [
        q for q in counts if "organizations_notification" in q["sql"] and "read_at" in q["sql"]
    ]
    # The badge and the "mark all read" button share the one count of the page.
    assert len(inbox_counts) == 1


def test_the_inbox_page_costs_the_same_queries_for_1_or_30_notices(
    client, contractor_a_member, django_assert_max_num_queries
):
    _notice(contractor_a_member)
    client = _signed_in(client, contractor_a_member)
    with CaptureQueriesContext(connection) as one:
        client.get("/inbox/")
    for minutes in range(29):
        _notice(contractor_a_member, minutes_ago=minutes + 1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/inbox/")
    assert page.content.decode().count('data-testid="notification"') == 25  # a page's worth


# --- The API ----------------------------------------------------------------------------


def _api(api_client, user, *, read_only=False):
    _token, key = api_token_issue(user=user, actor=user, read_only=read_only)
    client = api_client.__class__()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_api_lists_only_ones_own_notices_paginated_and_filters_unread(
    api_client, contractor_a_member, contractor_b_member
):
    read = _notice(contractor_a_member, "Read", minutes_ago=5, read=True)
    unread = _notice(contractor_a_member, "Unread", minutes_ago=1)
    _notice(contractor_b_member, "Theirs")
    api = _api(api_client, contractor_a_member)
    listed = api.get("/api/v1/notifications/").json()
    assert set(listed) == {"count", "next", "previous", "results"}
    assert [row["id"] for row in listed["results"]] == [unread.pk, read.pk]
    assert set(listed["results"][0]) == {
        "id",
        "kind",
        "subject",
        "body",
        "link",
        "created_at",
        "read_at",
        "unread",
    }
    assert listed["results"][0]["unread"] is True
    only_unread = api.get("/api/v1/notifications/", {"unread": "true"}).json()
    assert [row["id"] for row in only_unread["results"]] == [unread.pk]
    only_read = api.get("/api/v1/notifications/", {"unread": "false"}).json()
    assert [row["id"] for row in only_read["results"]] == [read.pk]


def test_the_api_marks_a_notice_read_and_someone_elses_is_404(
    api_client, contractor_a_member, contractor_b_member
):
    mine = _notice(contractor_a_member)
    theirs = _notice(contractor_b_member)
    api = _api(api_client, contractor_a_member)
    response = api.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None and response.json()["unread"] is False
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert api.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_api_marks_all_read(api_client, contractor_a_member, contractor_b_member):
    _notice(contractor_a_member)
    _notice(contractor_a_member)
    _notice(contractor_a_member, read=True)
    theirs = _notice(contractor_b_member)
    api = _api(api_client, contractor_a_member)
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert not Notification.objects.filter(user=contractor_a_member, read_at=None).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_a_read_only_token_reads_the_inbox_but_cannot_mark_it(api_client, contractor_a_member):
    notice = _notice(contractor_a_member)
    api = _api(api_client, contractor_a_member, read_only=True)
    assert api.get("/api/v1/notifications/").status_code == 200
    assert api.post(f"/api/v1/notifications/{notice.pk}/read/").status_code == 403
    assert api.post("/api/v1/notifications/read-all/").status_code == 403
    assert Notification.objects.get(pk=notice.pk).read_at is None
