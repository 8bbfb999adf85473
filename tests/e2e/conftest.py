"""Browser journeys in Debian's Chromium through Playwright (toolchain.md)."""

import os

import pytest

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def _allow_sync_django_in_playwright():
    # Playwright's sync API runs an event loop; Django's ORM must be allowed beside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def sign_in(live_server, password):
    """Sign a person in through the real login page."""

    def _sign_in(page, username):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")

    return _sign_in


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A browser in Taiwan: pages follow Accept-Language until the person picks a language.
    return {**browser_context_args, "locale": "zh-TW"}


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    # Start the live server after the test database exists, so it stops (and closes its
    # connections) before the database is dropped at the end of the session.
    return live_server
