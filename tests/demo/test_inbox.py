"""seed_demo leaves a few recent notices, unread, in the demo people's inboxes (issue 14),
each in its person's language and about a page they may open; it e-mails nobody."""

from io import StringIO

from django.core.management import call_command

from organizations.models import Notification, User
from organizations.selectors import notification_unread_count

DEMO_PEOPLE = ("office", "raytheon", "reviewer", "aidc", "proposer")


def test_the_demo_people_have_unread_notices(demo_db):
    for username in DEMO_PEOPLE:
        user = User.objects.get(username=username)
        assert notification_unread_count(user=user) > 0, username
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_each_demo_notice_is_in_its_persons_language_with_a_page_to_open(demo_db, client):
    english = Notification.objects.filter(user__username="raytheon").first()
    chinese = Notification.objects.filter(user__username="office").first()
    assert english.subject.isascii()
    assert not chinese.subject.isascii()
    for username in DEMO_PEOPLE:
        user = User.objects.get(username=username)
        client.force_login(user)
        for notice in Notification.objects.filter(user=user):
            assert notice.link.startswith("/"), notice
            assert client.get(notice.link, follow=True).status_code == 200, (username, notice.link)


def test_a_second_seed_adds_no_notice(demo_db):
    before = Notification.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Notification.objects.count() == before
