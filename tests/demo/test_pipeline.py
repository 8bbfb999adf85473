"""The demo walks the 2011 signings through the procurement pipeline (domain.md §12) and
holds the two 2011 policy steering meetings with their follow-up."""

from datetime import date

from agreements.choices import ProcurementStage
from agreements.models import Agreement
from committee.models import Meeting, ResolutionFollowUp


def test_each_2011_signing_ends_at_stage_signed_with_its_specification(demo_db):
    signed = Agreement.objects.filter(signed_on__year=2011).select_related("procurement")
    assert signed.exists()
    for agreement in signed:
        procurement = agreement.procurement
        assert procurement.stage == ProcurementStage.SIGNED
        assert procurement.spec_standards.exists()
        modes = {s.mode for s in procurement.spec_standards.all()}
        assert modes <= set(agreement.multipliers.values_list("mode", flat=True))


def test_the_uh60m_loa_shows_the_six_month_rule(demo_db):
    agreement = Agreement.objects.select_related("procurement").get(number="ICP-2011-001")
    procurement = agreement.procurement
    assert procurement.loa_signed_on == date(2010, 12, 28)
    # Signed on 2011-02-18, inside the 6 months (due 2011-06-28); the due date is gone.
    assert procurement.agreement_due_on is None
    assert procurement.defence and procurement.ratio_exemption


def test_two_2011_steering_meetings_with_resolutions_followed_up(demo_db):
    meetings = Meeting.objects.filter(kind="policy_steering", year=2011).order_by("held_on")
    assert [m.held_on for m in meetings] == [date(2011, 5, 26), date(2011, 11, 24)]
    follow_ups = ResolutionFollowUp.objects.filter(decision__agenda_item__meeting__year=2011)
    assert follow_ups.filter(status="carried_out").count() == 2
    assert follow_ups.filter(status="open").count() == 2
