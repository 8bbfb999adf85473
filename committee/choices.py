"""Choices of meetings, agendas and decisions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingKind(models.TextChoices):
    PROMOTION_COMMITTEE = "promotion_committee", _("Promotion committee")
    SUBCOMMITTEE = "subcommittee", _("Industry sub-committee")
    DEMAND_PANEL = "demand_panel", _("Demand-item panel")
    # 工業合作政策指導會議: the two deputy ministers, twice a year (domain.md §12).
    POLICY_STEERING = "policy_steering", _("Policy steering meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", pgettext_lazy("meeting status", "Held")
    MINUTES_APPROVED = "minutes_approved", _("Minutes approved")


class AgendaKind(models.TextChoices):
    PRE_APPROVAL = "pre_approval", _("Pre-approval")
    ACTUAL_APPROVAL = "actual_approval", _("Actual approval")
    EXTENSION = "extension", _("Extension")
    ON_RECORD = "on_record", _("On record")
    CLOSURE = "closure", _("Closure")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    CASE_REVIEW = "case_review", _("Case review (sub-committee)")
    DEMAND_ITEM_REVIEW = "demand_item_review", _("Demand item second review")
    # An agreement past its execution end with credit outstanding (domain.md §13).
    PENALTY = "penalty", _("Shortfall: extension or penalty")
    # A ministry's request to the policy steering meeting: names no case, item or agreement.
    STEERING_REQUEST = "steering_request", _("Request to the policy steering meeting")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RENEGOTIATE = "renegotiate", _("Renegotiate")
    EXTENDED = "extended", _("Extended")
    NOTED = "noted", _("Noted")
    CLOSED = "closed", _("Closed")
    CLOSED_WITH_RETENTION = "closed_with_retention", _("Closed with credit retention")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PASSED = "passed", _("Passed")
    NOT_PASSED = "not_passed", _("Not passed")


# Which outcomes fit which agenda item (keyed by the kind's value, as it reads back).
OUTCOMES_BY_KIND: dict[str, set[Outcome]] = {
    AgendaKind.PRE_APPROVAL: {Outcome.APPROVED, Outcome.REJECTED, Outcome.RENEGOTIATE},
    AgendaKind.ACTUAL_APPROVAL: {Outcome.APPROVED, Outcome.REJECTED},
    AgendaKind.EXTENSION: {Outcome.EXTENDED, Outcome.REJECTED},
    AgendaKind.ON_RECORD: {Outcome.NOTED},
    AgendaKind.CLOSURE: {Outcome.CLOSED, Outcome.CLOSED_WITH_RETENTION},
    AgendaKind.WITHDRAWAL: {Outcome.WITHDRAWN, Outcome.REJECTED},
    AgendaKind.DEMAND_ITEM_REVIEW: {Outcome.PASSED, Outcome.NOT_PASSED},
    # Approved: a penalty of ``amount_twd``; extended: a new execution end; rejected: neither.
    AgendaKind.PENALTY: {Outcome.APPROVED, Outcome.EXTENDED, Outcome.REJECTED},
    # A resolution (決議) adopting the request, taking note of it, or declining it.
    AgendaKind.STEERING_REQUEST: {Outcome.APPROVED, Outcome.NOTED, Outcome.REJECTED},
}

# A sub-committee seats 5 to 7 reviewers, experts more than half (domain.md §4).
SUBCOMMITTEE_SIZE = (5, 7)
# The demand-item panel of 7 (domain.md §6): IDB 1, DoIT 1, research institutes 3, scholars 2.
PANEL_SEATS = {"idb": 1, "doit": 1, "research": 3, "scholar": 2}


class PacketStage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class PacketStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# The draft packet is built this many days before a promotion-committee meeting; the final
# packet must reach the members at least PACKET_SEND_DAYS before (domain.md §11).
PACKET_DRAFT_DAYS = 7
PACKET_SEND_DAYS = 5


class Requester(models.TextChoices):
    """Who brings a request to the policy steering meeting."""

    MOEA = "moea", _("Ministry of Economic Affairs")
    MND = "mnd", _("Ministry of National Defense")


class FollowUpStatus(models.TextChoices):
    """The follow-up of a steering resolution after the meeting (會後管制)."""

    OPEN = "open", _("Being carried out")
    CARRIED_OUT = "carried_out", _("Carried out")
