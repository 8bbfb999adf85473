"""Maintained balances (issue #15): the database keeps one row per agreement equal to the
ledger's sums, whoever inserts the entries, and refuses any other write to the rows;
``manage.py balances_check`` proves it and fails when they drift."""

import threading
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from agreements import selectors, services
from agreements.choices import CaseUse, EntryKind
from agreements.models import AgreementBalance, AppendOnlyError, CreditEntry
from tests.factories import make_agreement

D = Decimal


def _guard(cursor, switch: str) -> None:
    """Switch the database's guard of the rows off or on (the table's owner can; the
    pending foreign-key checks first, as ALTER TABLE requires)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(
        f"ALTER TABLE agreements_agreementbalance {switch} TRIGGER "
        "agreementbalance_written_by_ledger"
    )


def _check() -> str:
    out = StringIO()
    call_command("balances_check", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_balances_check_passes_after_every_kind_of_posting_and_a_race(
    office_user, contractor_a, contractor_b
):
    legacy = make_agreement(
        contractor=contractor_a, actor=office_user, obligation="1000.00", signed_on=date(2010, 5, 1)
    )
    other = make_agreement(contractor=contractor_b, actor=office_user, obligation="5000.00")
    on = date(2011, 6, 1)
    services.credit_bank_open(
        contractor=contractor_a, currency=legacy.currency, opening_balance=D("0"),
        opening_as_of=date(2011, 1, 1), actor=office_user,
    )  # fmt: skip
    services.credit_reserve(
        agreement=legacy, amount=D("600.00"), effective_on=on, use=CaseUse.DIRECT_DEFENCE,
        actor=office_user,
    )  # fmt: skip
    services.credit_release(
        agreement=legacy, amount=D("600.00"), effective_on=on, use=CaseUse.DIRECT_DEFENCE,
        actor=office_user,
    )  # fmt: skip
    mistake = services.credit_reserve(
        agreement=legacy, amount=D("100.00"), effective_on=on, use=CaseUse.INDUSTRY,
        actor=office_user,
    )  # fmt: skip
    services.credit_entry_reverse(entry=mistake, reason="Keyed twice.", actor=office_user)
    services.credit_post_actual(
        agreement=legacy, amount=D("1200.00"), effective_on=on, use=CaseUse.DIRECT_DEFENCE,
        actor=office_user,
    )  # fmt: skip
    services.credit_retain(agreement=legacy, amount=D("150.00"), effective_on=on, actor=office_user)
    second = make_agreement(
        contractor=contractor_a, actor=office_user, obligation="400.00", signed_on=date(2010, 7, 1)
    )
    services.credit_bank_draw(
        agreement=second, amount=D("100.00"), effective_on=on, actor=office_user
    )
    services.agreement_amend_obligation(
        agreement=other, obligation=D("4000.00"), effective_on=on, reason="Amended.",
        actor=office_user,
    )  # fmt: skip

    # Two reserves race on one agreement: each posting is counted once.
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def reserve_one():
        try:
            start.wait()
            services.credit_reserve(
                agreement=other, amount=D("1000.00"), effective_on=on, use=CaseUse.INDUSTRY,
                actor=office_user,
            )  # fmt: skip
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reserve_one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    assert errors == []

    assert "3 maintained balances equal the ledger." in _check()
    row = AgreementBalance.objects.get(agreement=legacy)
    assert (row.obligation, row.reserved, row.discharged) == (D("1000"), D("0"), D("1050"))
    assert (row.retained, row.defence, row.entries) == (D("150"), D("1200"), 7)
    assert AgreementBalance.objects.get(agreement=second).bank_drawn == D("100")
    other_row = AgreementBalance.objects.get(agreement=other)
    assert (other_row.obligation, other_row.reserved, other_row.entries) == (
        D("4000"),
        D("2000"),
        4,
    )
    assert selectors.agreement_balance(agreement=other).available == D("2000")


@pytest.mark.django_db
@pytest.mark.balances_drift
def test_balances_check_fails_and_names_the_figure_when_a_row_drifts(office_user, contractor_a):
    agreement = make_agreement(contractor=contractor_a, actor=office_user, obligation="1000.00")
    assert _check().endswith("1 maintained balances equal the ledger.\n")
    with connection.cursor() as cursor:
        # Only by switching the guard off (the table's owner can): this is what the check
        # is for, should it ever happen.
        _guard(cursor, "DISABLE")
        cursor.execute("UPDATE agreements_agreementbalance SET reserved = 5")
    with pytest.raises(CommandError, match="1 figures of 1 agreements differ"):
        call_command("balances_check", stdout=(out := StringIO()))
    assert f"agreement {agreement.pk}: reserved maintained 5.00 ledger 0.00" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.balances_drift
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE agreements_agreementbalance SET obligation = obligation + 1",
        "DELETE FROM agreements_agreementbalance",
        "INSERT INTO agreements_agreementbalance (agreement_id, obligation, reserved, discharged,"
        " bank_drawn, retained, defence, latest_effective_on, last_entry_id, entries)"
        " VALUES ({other}, 1, 0, 0, 0, 0, 0, '2011-01-01', 1, 1)",
    ],
)
def test_the_database_refuses_writes_to_maintained_balances_outside_the_ledger(
    office_user, contractor_a, statement
):
    make_agreement(contractor=contractor_a, actor=office_user)
    other = make_agreement(contractor=contractor_a, actor=office_user)
    with connection.cursor() as cursor:
        _guard(cursor, "DISABLE")
        cursor.execute(
            "DELETE FROM agreements_agreementbalance WHERE agreement_id = %s", [other.pk]
        )
        _guard(cursor, "ENABLE")
    with (
        pytest.raises(IntegrityError, match="written by the ledger only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement.format(other=other.pk))


@pytest.mark.django_db
def test_the_model_refuses_to_write_maintained_balances(office_user, contractor_a):
    agreement = make_agreement(contractor=contractor_a, actor=office_user)
    row = AgreementBalance.objects.get(agreement=agreement)
    for write in (
        row.save,
        row.delete,
        lambda: AgreementBalance.objects.update(reserved=1),
        lambda: AgreementBalance.objects.all().delete(),
    ):
        with pytest.raises(AppendOnlyError):
            write()


@pytest.mark.django_db
def test_entries_inserted_in_bulk_are_counted_in_one_statement(office_user, contractor_a):
    first = make_agreement(contractor=contractor_a, actor=office_user, obligation="100.00")
    second = make_agreement(contractor=contractor_a, actor=office_user, obligation="100.00")
    CreditEntry.objects.bulk_create(
        CreditEntry(
            agreement=agreement,
            kind=EntryKind.RESERVE,
            applies_to=EntryKind.RESERVE,
            amount=D("10.00"),
            currency=agreement.currency,
            use=CaseUse.INDUSTRY,
            effective_on=date(2011, 5, 1),
            created_by=office_user,
        )
        for agreement in (first, second, first)
    )
    assert selectors.balance_drift() == []
    assert AgreementBalance.objects.get(agreement=first).reserved == D("20.00")
    assert AgreementBalance.objects.get(agreement=second).entries == 2


@pytest.mark.django_db
def test_an_entry_effective_after_today_counts_from_its_date_not_before(office_user, contractor_a):
    agreement = make_agreement(contractor=contractor_a, actor=office_user, obligation="1000.00")
    today = timezone.localdate()
    later = today + timedelta(days=30)
    services.credit_reserve(
        agreement=agreement, amount=D("300.00"), effective_on=later, use=CaseUse.INDUSTRY,
        actor=office_user,
    )  # fmt: skip
    assert AgreementBalance.objects.get(agreement=agreement).latest_effective_on == later
    assert selectors.agreement_balance(agreement=agreement).reserved == 0
    assert selectors.agreement_balance(agreement=agreement, as_of=later).reserved == D("300")
    assert selectors.contractor_balances(contractor_id=contractor_a.pk)[0].reserved == 0
    row = selectors.visible_balance_row(user=office_user, pk=agreement.pk)
    assert selectors.balances_of(agreements=[row], as_of=today)[agreement.pk].reserved == 0
    assert selectors.balances_of(agreements=[row], as_of=later)[agreement.pk].reserved == D("300")


@pytest.mark.django_db
def test_a_current_balance_is_read_from_the_row_in_one_query(
    office_user, contractor_a, django_assert_num_queries
):
    agreement = make_agreement(contractor=contractor_a, actor=office_user, obligation="1000.00")
    services.credit_reserve(
        agreement=agreement, amount=D("300.00"), effective_on=date(2011, 5, 1),
        use=CaseUse.INDUSTRY, actor=office_user,
    )  # fmt: skip
    with django_assert_num_queries(1) as captured:
        balance = selectors.agreement_balance(agreement=agreement)
    assert "agreements_creditentry" not in captured.captured_queries[0]["sql"]
    assert (balance.obligation, balance.reserved, balance.available) == (
        D("1000"),
        D("300"),
        D("700"),
    )
    # A past date comes from the ledger, and agrees with it.
    past = selectors.agreement_balance(agreement=agreement, as_of=date(2011, 4, 30))
    assert (past.obligation, past.reserved) == (D("1000"), D("0"))


@pytest.mark.django_db
def test_the_agreement_list_reads_current_balances_from_the_rows_and_agrees_with_the_ledger(
    office_user, contractor_a
):
    plain = make_agreement(contractor=contractor_a, actor=office_user, obligation="1000.00")
    later = make_agreement(contractor=contractor_a, actor=office_user, obligation="500.00")
    make_agreement(contractor=contractor_a, actor=office_user, obligation="70.00")
    services.credit_reserve(
        agreement=plain, amount=D("300.00"), effective_on=date(2011, 5, 1),
        use=CaseUse.DIRECT_DEFENCE, actor=office_user,
    )  # fmt: skip
    services.credit_reserve(
        agreement=later, amount=D("200.00"), effective_on=timezone.localdate() + timedelta(days=9),
        use=CaseUse.INDUSTRY, actor=office_user,
    )  # fmt: skip
    for as_of in (timezone.localdate(), timezone.localdate() + timedelta(days=9), date(2011, 4, 1)):
        listed = selectors.agreements_with_balances(user=office_user, as_of=as_of)
        by_row = {a.pk: selectors.balance_of(row=a, as_of=as_of) for a in listed}
        ledger = selectors.balances_of(
            agreements=[{"id": pk, "currency": "USD_PTS"} for pk in by_row], as_of=as_of
        )
        assert by_row == ledger, as_of
        (total,) = selectors.balance_totals(agreements=listed, as_of=as_of)
        assert total.obligation == D("1570.00")
        assert total.reserved == sum(b.reserved for b in ledger.values())
    assert by_row[later.pk].reserved == 0
    now = selectors.agreements_with_balances(user=office_user, as_of=timezone.localdate())
    assert now.query.group_by is None  # no aggregate over the ledger: the rows are read
