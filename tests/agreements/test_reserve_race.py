"""The reserve rule holds when many requests race (real threads, real transactions)."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import translation

from agreements import selectors, services
from agreements.choices import CaseUse, EntryKind
from tests.factories import make_agreement

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_concurrent_reserves_with_room_for_ten_exactly_ten_succeed(
    office_group, contractor_a
):
    from tests.factories import UserFactory

    actor = UserFactory(username="office-race")
    actor.groups.add(office_group)
    agreement = make_agreement(contractor=contractor_a, actor=actor, obligation="10000000.00")
    start = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def reserve():
        translation.activate("en")
        try:
            start.wait()
            services.credit_reserve(
                agreement=agreement,
                amount=Decimal("1000000.00"),
                effective_on=date(2011, 4, 1),
                use=CaseUse.INDUSTRY,
                actor=actor,
            )
            result = "ok"
        except ValidationError as error:
            assert "USD_PTS available" in str(error)
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=reserve) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    assert sorted(outcomes) == ["ok"] * 10 + ["refused"] * 10
    assert agreement.entries.filter(kind=EntryKind.RESERVE).count() == 10
    assert selectors.agreement_balance(agreement=agreement).available == 0
