"""A few notices in the demo people's inboxes, so that ``make run`` shows the inbox
(issue 14) with unread items. Idempotent.

The replay of 2010–2011 tells nobody anything (``silenced()``): acts of history are not
news. Here the last acts of the year each demo person would have been told of are told
once more, now, through the apps' own notification code (the words, the language and the
link the services give them), into the inboxes only: ``silenced(inbox=True)`` e-mails
nobody (the demo's addresses are made up)."""

from __future__ import annotations

from cases import notifications as case_notifications
from cases.models import Case
from committee import notifications as committee_notifications
from committee.choices import PacketStage
from committee.models import Decision, Packet
from demand_items import notifications as item_notifications
from demand_items.models import CallRound
from demo.loader import party
from feedback import notifications as bill_notifications
from feedback.choices import BillStatus
from feedback.models import Bill
from icp_portal.lib.mail import silenced
from organizations.models import Notification


def seed() -> list[str]:
    if Notification.objects.exists():  # told once: a second seed adds nothing
        return ["Inbox: the demo people's notices are there already."]
    raytheon = party("raytheon")
    told = []
    with silenced(inbox=True):
        # The year's last packet sent: to its members (the reviewers of the demo).
        packet = (
            Packet.objects.filter(stage=PacketStage.FINAL)
            .select_related("meeting")
            .order_by("-meeting__held_on", "-version")
            .first()
        )
        if packet is not None:
            committee_notifications.packet_sent(packet)
            told.append("packet")
        # The contractor's last decided case: the decision, to its people.
        decision = (
            Decision.objects.filter(agenda_item__case__agreement__contractor=raytheon)
            .select_related("agenda_item__meeting", "agenda_item__case")
            .order_by("-agenda_item__meeting__held_on", "-pk")
            .first()
        )
        if decision is not None:
            case_notifications.decision_made(decision.agenda_item.case, decision)
            told.append("decision")
        # The contractor's last case filed: received, to its people and the office.
        case = (
            Case.objects.filter(agreement__contractor=raytheon, submitted_at__isnull=False)
            .order_by("-submitted_at", "-pk")
            .first()
        )
        if case is not None:
            case_notifications.case_received(case)
            told.append("case")
        # The overdue bills of January 2012: to their recipients and the office.
        for bill in Bill.objects.filter(status=BillStatus.OVERDUE).order_by("due_on", "pk"):
            bill_notifications.bill_overdue(bill)
            told.append("bill")
        # The last call for demand items: to the proposing units.
        call = CallRound.objects.order_by("-year", "-quarter").first()
        if call is not None:
            item_notifications.round_opened(call)
            told.append("round")
    count = Notification.objects.count()
    return [f"Inbox: {count} unread notices of {len(told)} recent events for the demo people."]
