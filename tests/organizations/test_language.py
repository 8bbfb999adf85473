"""Traditional Chinese by default, English complete, and the choice persists."""

from django.conf import settings
from django.urls import reverse


def test_pages_are_in_traditional_chinese_by_default(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "登入" in page and 'lang="zh-Hant-TW"' in page


def test_language_switch_sets_a_lasting_cookie_and_english_pages(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and int(cookie["max-age"]) >= 30 * 24 * 3600
    page = client.get(reverse("login")).content.decode()
    assert "Sign in" in page and "登入" not in page


def test_signed_in_switch_is_saved_on_the_person_and_followed_at_next_sign_in(
    client, office_user, password
):
    client.force_login(office_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    office_user.refresh_from_db()
    assert office_user.language == "en"
    client.logout()
    client.cookies.clear()
    response = client.post(
        reverse("login"), {"username": office_user.username, "password": password}
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("home_office")).content.decode()
    assert "ICP office" in page and 'lang="en"' in page


def test_every_catalogue_message_has_a_chinese_translation():
    po = (settings.BASE_DIR / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po").read_text()
    entries = po.split("\n\n")[1:]  # the first entry is the header
    assert len(entries) > 100
    untranslated = [e for e in entries if 'msgstr ""\n' in e + "\n" and 'msgstr ""\n"' not in e]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert not untranslated, untranslated[:3]
    assert not fuzzy, fuzzy[:3]
