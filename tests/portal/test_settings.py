"""Settings come from the environment through typed helpers that refuse bad values."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from icp_portal.lib.env import env_bool, env_database, env_email, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "raw,expected", [("1", True), ("TRUE", True), ("off", False), ("no", False)]
)
def test_env_bool_reads_the_usual_spellings(raw, expected):
    assert env_bool("X", not expected, environ_={"X": raw}) is expected


@pytest.mark.parametrize("raw", ["ture", "2", "enabled"])
def test_env_bool_refuses_anything_else(raw):
    with pytest.raises(ImproperlyConfigured, match="X="):
        env_bool("X", False, environ_={"X": raw})


def test_env_int_refuses_text_and_values_below_the_minimum():
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 1, environ_={"N": "ten"})
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("N", 1, minimum=1, environ_={"N": "0"})
    assert env_int("N", 1, environ_={}) == 1


def test_env_list_splits_on_commas_and_drops_blanks():
    assert env_list("H", [], environ_={"H": "a.gov.tw, ,b.gov.tw"}) == ["a.gov.tw", "b.gov.tw"]


def test_database_url_reads_postgres_and_sqlite():
    pg = env_database("D", "", environ_={"D": "postgres://icp:pw@db.internal:5433/icp"})
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["HOST"], pg["PORT"], pg["NAME"], pg["USER"]) == ("db.internal", 5433, "icp", "icp")
    lite = env_database("D", "", environ_={"D": "sqlite:////var/lib/icp/db.sqlite3"})
    assert lite == {
        **lite,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/var/lib/icp/db.sqlite3",
    }


@pytest.mark.parametrize(
    "url", ["postgress://x/y", "mysql://u@h/db", "not a url", "postgres://h:5432/"]
)
def test_database_url_refuses_unknown_schemes_and_missing_names(url):
    with pytest.raises(ImproperlyConfigured):
        env_database("DATABASE_URL", "", environ_={"DATABASE_URL": url})


def test_email_url_reads_smtp_with_tls_and_refuses_unknown_schemes():
    smtp = env_email(
        "E", "", environ_={"E": "smtp://icp%40ida.gov.tw:s3cret@mail.gov.tw:587?tls=1"}
    )
    assert smtp["EMAIL_HOST"] == "mail.gov.tw" and smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_USER"] == "icp@ida.gov.tw" and smtp["EMAIL_USE_TLS"] is True
    assert env_email("E", "console://", environ_={})["EMAIL_BACKEND"].endswith(
        "console.EmailBackend"
    )
    with pytest.raises(ImproperlyConfigured):
        env_email("E", "", environ_={"E": "smpt://mail.gov.tw"})


def _python(code: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python with only ``env`` set (as a new process would)."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "icp_portal.settings", **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _settings_in_subprocess(env: dict) -> subprocess.CompletedProcess:
    return _python(
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'],"
        " 'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'email': settings.EMAIL_BACKEND,"
        " 'debug': settings.DEBUG, 'media': str(settings.MEDIA_ROOT)}))",
        env,
    )


def test_nothing_set_runs_embedded_sqlite_eager_console_mail():
    result = _settings_in_subprocess({})
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "engine": "django.db.backends.sqlite3",
        "eager": True,
        "email": "django.core.mail.backends.console.EmailBackend",
        "debug": False,
        "media": str(ROOT / "media"),
    }


def test_the_embedded_default_serves_assets_without_debug_or_a_collect_step(tmp_path):
    # `make run`: nothing set, DEBUG off; assets come from the source folders (WhiteNoise
    # finders), answered before any database is touched.
    result = _python(
        "import django; django.setup(); from django.conf import settings;"
        "from django.test import Client;"
        "assert not settings.DEBUG and settings.WHITENOISE_USE_FINDERS;"
        "r = Client().get('/static/css/portal.css');"
        "print(r.status_code, r['Content-Type'])",
        {"STATIC_ROOT": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "200" and "text/css" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_in_subprocess(
        {"DATABASE_URL": "postgres://u@h/db", "ALLOWED_HOSTS": "icp.gov.tw"}
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_bad_debug_value():
    result = _settings_in_subprocess({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_check_deploy_is_clean_with_production_values():
    env = {
        "DATABASE_URL": "postgres://icp:icp@127.0.0.1:5432/icp_portal",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_URL": "smtp://mail.example.gov.tw:587?tls=1",
        "SECRET_KEY": "k" * 20 + "production-like-secret-key-with-enough-variety-9f8e7d6c5b4a",
        "ALLOWED_HOSTS": "icp.example.gov.tw",
    }
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_web_process_finds_a_task_it_enqueues_by_name():
    # The packet build is enqueued by name from a page or the API; in a fresh process
    # (runserver, gunicorn) no tasks module has been imported yet.
    result = _python(
        "import django; django.setup(); from celery import current_app;"
        "from icp_portal.lib.tasks import task_named;"
        "assert 'committee.build_packet' not in current_app.tasks;"
        "print(task_named('committee.build_packet').name)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "committee.build_packet"


@pytest.mark.django_db
def test_postgresql_compiles_no_plan_just_in_time_for_a_page():
    """JIT compiling cost 466 ms on the agreement list's totals at 10× for a 4 ms query:
    the portal's connections turn it off (DB_JIT=true turns it back on)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
