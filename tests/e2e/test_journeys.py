"""Journeys of the foundation: signing in by role, anonymous redirect, language switch."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_signs_in_and_sees_the_staff_home(page, live_server, sign_in, office_user, recipient):
    sign_in(page, office_user.username)
    expect(page).to_have_url(f"{live_server.url}/home/office/")
    expect(page.get_by_test_id("home-office")).to_have_text("工合小組")
    expect(page.get_by_role("link", name="國內承接單位")).to_contain_text("1")
    page.get_by_test_id("nav-directory").click()
    page.get_by_role("link", name="機構", exact=True).click()
    expect(page.get_by_role("link", name="漢翔航空工業股份有限公司")).to_be_visible()


def test_contractor_signs_in_in_english(
    page, live_server, sign_in, contractor_a_member, contractor_b
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.select_option("#language-select", "en")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in(page, contractor_a_member.username)
    expect(page).to_have_url(f"{live_server.url}/home/contractor/")
    expect(page.get_by_test_id("home-contractor")).to_have_text("Welcome, Raytheon Company")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # Another contractor's organization is not there for them.
    response = page.goto(f"{live_server.url}/organizations/{contractor_b.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()


def test_anonymous_visitor_is_sent_to_the_login_page(page, live_server):
    page.goto(f"{live_server.url}/home/office/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/home/office/$"))
    expect(page.get_by_role("heading", name="登入")).to_be_visible()


def test_language_switch_changes_the_page_and_persists(page, live_server, sign_in, office_user):
    sign_in(page, office_user.username)
    expect(page.get_by_test_id("home-office")).to_have_text("工合小組")
    page.select_option("#language-select", "en")
    expect(page.get_by_test_id("home-office")).to_have_text("ICP office")
    page.reload()
    expect(page.get_by_test_id("home-office")).to_have_text("ICP office")
    page.get_by_test_id("nav-directory").click()
    page.get_by_role("link", name="Organizations", exact=True).click()
    expect(page.get_by_role("heading", name="Organizations")).to_be_visible()
    # Back to Chinese, and the choice is saved on the person.
    page.select_option("#language-select", "zh-hant")
    expect(page.get_by_role("heading", name="機構")).to_be_visible()
    office_user.refresh_from_db()
    assert office_user.language == "zh-hant"
