import pytest
from tests.portal import test_hardening as h
from tests.portal.test_hardening import axes_clock, draft_case  # noqa: F401


def test_lockout_before(client, settings, office_user, password, axes_clock):
    settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
    with pytest.raises(AssertionError):
        h.test_attempts_during_a_lockout_do_not_restart_the_cool_off(client, settings, office_user, password, axes_clock)


def test_xlsx_before(client, office_user, contractor_a, monkeypatch):
    monkeypatch.setattr("icp_portal.lib.xlsx._as_text", lambda cell: None)
    with pytest.raises(AssertionError):
        h.test_a_ledger_reason_that_looks_like_a_formula_is_exported_as_text(client, office_user, contractor_a)


def test_pdf_before(api_client, contractor_a_member, draft_case, monkeypatch):
    monkeypatch.setattr("cases.services.pdf_refusal", lambda c: "" if c.startswith(b"%PDF-") else "no")
    with pytest.raises(AssertionError):
        h.test_a_file_that_only_starts_like_a_pdf_is_refused(api_client, contractor_a_member, draft_case, b"%PDF-1.4\n<html><script>x</script>")


def test_validator_before(settings):
    settings.AUTH_PASSWORD_VALIDATORS = settings.AUTH_PASSWORD_VALIDATORS[:-1]
    with pytest.raises(pytest.fail.Exception):
        h.test_repeated_characters_and_runs_are_refused_as_passwords("aaaaaaaaaaaa")
