"""The credit ledger (domain.md §3): balances, as-of dates, append-only, reversals,
the 2012 cut-off of the legacy bank, and currencies kept apart."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from agreements import selectors, services
from agreements.choices import CaseUse, EntryKind, PointsCurrency
from agreements.models import AppendOnlyError, CreditEntry
from tests.factories import make_agreement

D = Decimal


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in English; the Chinese ones are checked in the last test.
    with translation.override("en"):
        yield


@pytest.fixture
def agreement(office_user, contractor_a):
    return make_agreement(
        contractor=contractor_a,
        actor=office_user,
        obligation="100000000.00",
        signed_on=date(2011, 3, 1),
    )


def _worked_example(agreement, actor):
    """Obligation 100,000,000 (2011-03-01), amended +20,000,000 (2011-06-01);
    reserve 30,000,000 direct defence (2011-03-17) and 25,000,000 industry (2011-06-02);
    the first case actually approved 2011-09-08: release 30,000,000, actual 28,500,000."""
    services.agreement_amend_obligation(
        agreement=agreement,
        obligation=D("120000000.00"),
        effective_on=date(2011, 6, 1),
        reason="修約增加額度",
        actor=actor,
    )
    services.credit_reserve(
        agreement=agreement,
        amount=D("30000000.00"),
        effective_on=date(2011, 3, 17),
        use=CaseUse.DIRECT_DEFENCE,
        actor=actor,
    )
    services.credit_reserve(
        agreement=agreement,
        amount=D("25000000.00"),
        effective_on=date(2011, 6, 2),
        use=CaseUse.INDUSTRY,
        actor=actor,
    )
    services.credit_release(
        agreement=agreement,
        amount=D("30000000.00"),
        effective_on=date(2011, 9, 8),
        use=CaseUse.DIRECT_DEFENCE,
        actor=actor,
    )
    services.credit_post_actual(
        agreement=agreement,
        amount=D("28500000.00"),
        effective_on=date(2011, 9, 8),
        use=CaseUse.DIRECT_DEFENCE,
        actor=actor,
    )


def test_every_balance_figure_on_a_worked_example(agreement, office_user):
    _worked_example(agreement, office_user)
    balance = selectors.agreement_balance(agreement=agreement, as_of=date(2011, 12, 31))
    # obligation 100,000,000 + 20,000,000 = 120,000,000
    assert balance.obligation == D("120000000.00")
    # reserved 30,000,000 + 25,000,000 − 30,000,000 released = 25,000,000
    assert balance.reserved == D("25000000.00")
    # discharged = actual 28,500,000
    assert balance.discharged == D("28500000.00")
    # outstanding = 120,000,000 − 28,500,000 = 91,500,000
    assert balance.outstanding == D("91500000.00")
    # available = 120,000,000 − 28,500,000 − 25,000,000 = 66,500,000
    assert balance.available == D("66500000.00")
    # defence share = 28,500,000 defence / (25,000,000 + 28,500,000) = 0.5327
    assert balance.defence_share == D("0.5327")


def test_balance_as_of_a_date_counts_only_entries_effective_by_then(agreement, office_user):
    _worked_example(agreement, office_user)
    before_signing = selectors.agreement_balance(agreement=agreement, as_of=date(2011, 2, 28))
    assert (before_signing.obligation, before_signing.available) == (0, 0)
    assert before_signing.defence_share is None
    after_first_meeting = selectors.agreement_balance(agreement=agreement, as_of=date(2011, 3, 17))
    assert after_first_meeting.obligation == D("100000000.00")
    assert after_first_meeting.reserved == D("30000000.00")
    assert after_first_meeting.available == D("70000000.00")
    assert after_first_meeting.defence_share == D("1.0000")
    day_before_third = selectors.agreement_balance(agreement=agreement, as_of=date(2011, 9, 7))
    assert day_before_third.reserved == D("55000000.00") and day_before_third.discharged == 0
    assert day_before_third.available == D("65000000.00")


def test_a_correction_is_a_reversal_that_points_at_the_entry(agreement, office_user):
    reserve = services.credit_reserve(
        agreement=agreement,
        amount=D("40000000.00"),
        effective_on=date(2011, 4, 1),
        use=CaseUse.INDUSTRY,
        actor=office_user,
    )
    reversal = services.credit_entry_reverse(entry=reserve, reason="重複登錄", actor=office_user)
    assert reversal.kind == EntryKind.REVERSAL and reversal.reverses == reserve
    assert reversal.amount == D("-40000000.00") and reversal.note == "重複登錄"
    assert selectors.agreement_balance(agreement=agreement).available == D("100000000.00")
    assert CreditEntry.objects.filter(pk=reserve.pk, amount=D("40000000.00")).exists()
    with pytest.raises(ValidationError, match="already been reversed"):
        services.credit_entry_reverse(entry=reserve, reason="again", actor=office_user)
    with pytest.raises(ValidationError):
        services.credit_entry_reverse(entry=reserve, reason="  ", actor=office_user)


def test_the_model_refuses_update_and_delete(agreement):
    entry = agreement.entries.get()
    entry.amount = D("1.00")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        CreditEntry.objects.filter(pk=entry.pk).update(amount=D("1.00"))
    with pytest.raises(AppendOnlyError):
        CreditEntry.objects.filter(pk=entry.pk).delete()


def test_the_database_refuses_a_raw_update_and_delete(agreement):
    entry = agreement.entries.get()
    table = CreditEntry._meta.db_table
    for sql in (
        f"UPDATE {table} SET amount = 1 WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert CreditEntry.objects.get(pk=entry.pk).amount == D("100000000.00")


def test_amending_the_obligation_posts_the_difference_and_refuses_going_below_use(
    agreement, office_user
):
    entry = services.agreement_amend_obligation(
        agreement=agreement,
        obligation=D("80000000.00"),
        effective_on=date(2011, 5, 1),
        reason="減少購案金額",
        actor=office_user,
    )
    assert entry.kind == EntryKind.OBLIGATION and entry.amount == D("-20000000.00")
    agreement.refresh_from_db()
    assert agreement.obligation == D("80000000.00")
    services.credit_reserve(
        agreement=agreement,
        amount=D("70000000.00"),
        effective_on=date(2011, 6, 1),
        use=CaseUse.INDUSTRY,
        actor=office_user,
    )
    with pytest.raises(ValidationError, match=r"10,000,000\.00 USD_PTS available"):
        services.agreement_amend_obligation(
            agreement=agreement,
            obligation=D("60000000.00"),
            effective_on=date(2011, 7, 1),
            reason="再減少",
            actor=office_user,
        )
    assert selectors.agreement_balance(agreement=agreement).obligation == D("80000000.00")


def test_reserve_that_does_not_fit_is_refused_with_the_available_figure(agreement, office_user):
    services.credit_reserve(
        agreement=agreement,
        amount=D("99000000.00"),
        effective_on=date(2011, 4, 1),
        use=CaseUse.INDUSTRY,
        actor=office_user,
    )
    with pytest.raises(ValidationError) as refused:
        services.credit_reserve(
            agreement=agreement,
            amount=D("1000000.01"),
            effective_on=date(2011, 4, 2),
            use=CaseUse.INDUSTRY,
            actor=office_user,
        )
    assert "1,000,000.00 USD_PTS available" in str(refused.value)
    assert agreement.entries.filter(kind=EntryKind.RESERVE).count() == 1


@pytest.mark.parametrize(
    "signed_on,allowed", [(date(2011, 12, 31), True), (date(2012, 1, 1), False)]
)
def test_retention_and_bank_draws_follow_the_2012_cutoff(
    office_user, contractor_a, signed_on, allowed
):
    agreement = make_agreement(
        contractor=contractor_a, actor=office_user, obligation="10000000.00", signed_on=signed_on
    )
    services.credit_post_actual(
        agreement=agreement,
        amount=D("12000000.00"),
        effective_on=date(2012, 6, 1),
        use=CaseUse.INDUSTRY,
        actor=office_user,
    )
    retain = lambda: services.credit_retain(  # noqa: E731
        agreement=agreement,
        amount=D("2000000.00"),
        effective_on=date(2012, 7, 1),
        actor=office_user,
    )
    other = make_agreement(
        contractor=contractor_a, actor=office_user, obligation="5000000.00", signed_on=signed_on
    )
    draw = lambda: services.credit_bank_draw(  # noqa: E731
        agreement=other, amount=D("1500000.00"), effective_on=date(2012, 8, 1), actor=office_user
    )
    if allowed:
        retain()
        draw()
        ((_bank, balance),) = selectors.contractor_banks(contractor_id=contractor_a.pk)
        assert balance == D("500000.00")
        assert selectors.agreement_balance(agreement=other).discharged == D("1500000.00")
        assert selectors.agreement_balance(agreement=agreement).discharged == D("10000000.00")
    else:
        for attempt in (retain, draw):
            with pytest.raises(
                ValidationError, match="abolished for agreements signed on or after 2012-01-01"
            ):
                attempt()
        assert not CreditEntry.objects.filter(kind__in=["retention", "bank_draw"]).exists()


def test_a_bank_draw_beyond_the_banked_credit_is_refused(office_user, contractor_a):
    services.credit_bank_open(
        contractor=contractor_a,
        currency=PointsCurrency.USD_PTS,
        opening_balance=D("1000000.00"),
        opening_as_of=date(2011, 12, 31),
        actor=office_user,
    )
    agreement = make_agreement(
        contractor=contractor_a,
        actor=office_user,
        signed_on=date(2010, 1, 5),
        obligation="5000000.00",
    )
    with pytest.raises(ValidationError, match=r"holds only 1,000,000\.00 USD_PTS"):
        services.credit_bank_draw(
            agreement=agreement,
            amount=D("1000000.01"),
            effective_on=date(2011, 12, 31),
            actor=office_user,
        )


def test_usd_and_twd_points_are_never_added_together(office_user, contractor_a):
    make_agreement(
        contractor=contractor_a,
        actor=office_user,
        obligation="1000.00",
        currency=PointsCurrency.USD_PTS,
    )
    make_agreement(
        contractor=contractor_a,
        actor=office_user,
        obligation="2500.00",
        currency=PointsCurrency.USD_PTS,
    )
    make_agreement(
        contractor=contractor_a,
        actor=office_user,
        obligation="30000.00",
        currency=PointsCurrency.TWD_PTS,
    )
    balances = {
        b.currency: b.obligation
        for b in selectors.contractor_balances(contractor_id=contractor_a.pk)
    }
    assert balances == {"TWD_PTS": D("30000.00"), "USD_PTS": D("3500.00")}


def test_an_entry_always_carries_its_agreements_currency(agreement, office_user):
    entry = services.credit_reserve(
        agreement=agreement,
        amount=D("1.00"),
        effective_on=date(2011, 4, 1),
        use=CaseUse.INDUSTRY,
        actor=office_user,
    )
    assert entry.currency == agreement.currency == "USD_PTS"


def test_multiplier_standard_in_effect_is_the_latest_from_on_or_before_the_date(
    agreement, office_user
):
    from agreements.choices import Mode

    assert selectors.multiplier_standard_for(
        agreement=agreement, mode=Mode.TRAINING, on=date(2011, 5, 1)
    ) == (D("1.00"), D("1.00"))
    services.multiplier_standard_set(
        agreement=agreement,
        mode=Mode.TECHNOLOGY_TRANSFER,
        min_multiplier=D("15"),
        max_multiplier=D("20"),
        effective_from=date(2011, 3, 1),
        actor=office_user,
    )
    services.multiplier_standard_set(
        agreement=agreement,
        mode=Mode.TECHNOLOGY_TRANSFER,
        min_multiplier=D("10"),
        max_multiplier=D("12"),
        effective_from=date(2012, 1, 1),
        actor=office_user,
    )
    assert selectors.multiplier_standard_for(
        agreement=agreement, mode=Mode.TECHNOLOGY_TRANSFER, on=date(2011, 9, 8)
    ) == (D("15.00"), D("20.00"))
    assert selectors.multiplier_standard_for(
        agreement=agreement, mode=Mode.TECHNOLOGY_TRANSFER, on=date(2012, 3, 1)
    ) == (D("10.00"), D("12.00"))
    with pytest.raises(ValidationError):
        services.multiplier_standard_set(
            agreement=agreement,
            mode=Mode.TRAINING,
            min_multiplier=D("3"),
            max_multiplier=D("2"),
            effective_from=date(2011, 3, 1),
            actor=office_user,
        )


def test_briefing_overdue_three_months_after_signing_without_a_briefing(agreement, office_user):
    assert agreement.briefing_due_on == date(2011, 6, 1)
    assert agreement.briefing_overdue(today=date(2011, 6, 1)) is False
    assert agreement.briefing_overdue(today=date(2011, 6, 2)) is True
    services.briefing_record(
        agreement=agreement, held_on=date(2011, 5, 20), title="招商說明會", actor=office_user
    )
    assert agreement.briefing_overdue(today=date(2011, 6, 2)) is False


def test_the_refusal_speaks_the_users_language(agreement, office_user):
    with translation.override("zh-hant"), pytest.raises(ValidationError) as refused:
        services.credit_reserve(
            agreement=agreement,
            amount=D("100000000.01"),
            effective_on=date(2011, 4, 1),
            use=CaseUse.INDUSTRY,
            actor=office_user,
        )
    assert "可用額度為 100,000,000.00 USD_PTS" in str(refused.value)
