"""Choices of the parties and people (TextChoices, never bare strings in code)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    """The kinds of party of domain.md §2."""

    FOREIGN_CONTRACTOR = "foreign_contractor", _("Foreign contractor")
    PROCURING_AGENCY = "procuring_agency", _("Procuring agency")
    DOMESTIC_RECIPIENT = "domestic_recipient", _("Domestic recipient")
    PROPOSING_UNIT = "proposing_unit", _("Proposing unit")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    MANAGER = "manager", _("Manager")


class ReviewerKind(models.TextChoices):
    """Where a reviewer of the pool comes from (sub-committees and panels draw on them)."""

    EXPERT = "expert", _("Expert")
    ASSOCIATION = "association", _("Trade association")
    OFFICIAL = "official", _("Government official")
    SCHOLAR = "scholar", _("Scholar")
    RESEARCH = "research", _("Research institute")


class OfficialOf(models.TextChoices):
    """Which ministry department an official reviewer serves (panels seat one of each)."""

    IDB = "idb", _("Industrial Development Bureau / Administration")
    DOIT = "doit", _("Department of Industrial Technology")


class Field(models.TextChoices):
    """Industry fields of cases, demand items and reviewers' expertise."""

    DEFENCE = "defence", _("Defence")
    AEROSPACE = "aerospace", _("Aerospace")
    THREE_C = "3c", _("3C (computers, communications, consumer electronics)")
    RAIL = "rail", _("Rail")
    ENERGY = "energy", _("Energy")
    BIOTECH = "biotech", _("Biotech")
    OTHER = "other", _("Other")


class PortalRole(models.TextChoices):
    """What a signed-in person is in the portal; decides their home page."""

    OFFICE = "office", _("ICP office staff")
    CONTRACTOR = "contractor", _("Foreign contractor")
    RECIPIENT = "recipient", _("Domestic recipient")
    AGENCY = "agency", _("Procuring agency")
    PROPOSER = "proposer", _("Proposing unit")
    REVIEWER = "reviewer", _("Reviewer")
    NONE = "none", _("No role yet")


class Language(models.TextChoices):
    ZH_HANT = "zh-hant", "繁體中文"
    EN = "en", "English"


# Keyed by the kind's value: ``Organization.kind`` reads back from the database as a string.
ROLE_BY_KIND: dict[str, PortalRole] = {
    OrganizationKind.FOREIGN_CONTRACTOR: PortalRole.CONTRACTOR,
    OrganizationKind.DOMESTIC_RECIPIENT: PortalRole.RECIPIENT,
    OrganizationKind.PROCURING_AGENCY: PortalRole.AGENCY,
    OrganizationKind.PROPOSING_UNIT: PortalRole.PROPOSER,
}


class NotificationKind(models.TextChoices):
    """What a notice of the inbox (通知) is about: the e-mail template it was rendered from."""

    CASE_RECEIVED = "case_received", _("Case received")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    DECISION_MADE = "decision_made", _("Decision made")
    DECISION_LETTER = "decision_letter", _("Decision letter")
    PROGRESS_REPORT_DUE = "progress_report_due", _("Progress report due")
    OUTCOME_REVISIT_DUE = "outcome_revisit_due", _("Outcome revisit due")
    BILL_OVERDUE = "bill_overdue", _("Bill overdue")
    ROUND_OPENED = "round_opened", _("Call for demand items")
    PACKET_DRAFT = "packet_draft", _("Draft packet")
    PACKET_SENT = "packet_sent", _("Meeting packet")
    QUARTERLY_STATEMENT = "quarterly_statement", _("Credit statement")
    GUARANTEE_EXPIRING = "guarantee_expiring", _("Guarantee expiring")
    PENALTY_ISSUED = "penalty_issued", _("Penalty issued")
    PENALTY_OVERDUE = "penalty_overdue", _("Penalty overdue")
    AGREEMENT_DUE = "agreement_due", _("Agreement due after the LOA")


# The Django group of the ICP office (工合小組); its members are the portal's staff.
OFFICE_GROUP = "ICP office staff"
# The account that background tasks and commands act as when no person does.
SYSTEM_USERNAME = "icp-system"


class AuditAction(models.TextChoices):
    """Every business action an audit event (事件紀錄) can record, labelled once: the case,
    bill, demand-item and meeting timelines all read their labels from here."""

    AGENDA_ADD = "agenda.add", _("Put on an agenda")
    AGREEMENT_AMEND_OBLIGATION = "agreement.amend_obligation", _("Obligation amended")
    AGREEMENT_SIGN = "agreement.sign", _("Agreement signed")
    AGREEMENT_UPDATE = "agreement.update", _("Agreement edited")
    AGREEMENT_CLOSE = "agreement.close", _("Agreement closed")
    AGREEMENT_EXTEND = "agreement.extend", _("Execution period extended")
    AGREEMENT_PENALTY_CAP = "agreement.penalty_cap", _("Maximum penalty set")
    GUARANTEE_ADD = "guarantee.add", _("Guarantee lodged")
    GUARANTEE_RELEASE = "guarantee.release", _("Guarantee released")
    GUARANTEE_CALL = "guarantee.call", _("Guarantee called")
    GUARANTEE_REMINDER = "guarantee.reminder", _("Guarantee expiry reminder sent")
    PENALTY_ISSUE = "penalty.issue", _("Penalty issued")
    PENALTY_PAYMENT = "penalty.payment", _("Penalty payment recorded")
    PENALTY_OVERDUE = "penalty.overdue", _("Penalty overdue")
    PENALTY_WAIVED = "penalty.waived", _("Penalty waived")
    API_TOKEN_ISSUE = "api_token.issue", _("API token issued")
    API_TOKEN_REVOKE = "api_token.revoke", _("API token revoked")
    BILL_ISSUE = "bill.issue", _("Issued")
    BILL_OVERDUE = "bill.overdue", _("Marked overdue")
    BILL_PAYMENT = "bill.payment", _("Payment recorded")
    BILL_WAIVED = "bill.waived", _("Waived")
    BILL_CANCELLED = "bill.cancelled", _("Cancelled")
    BRIEFING_RECORD = "briefing.record", _("Briefing recorded")
    CASE_CREATE = "case.create", _("Filed as a draft")
    CASE_UPDATE = "case.update", _("Edited")
    CASE_DOCUMENT = "case.document", _("Document attached")
    CASE_CHECKLIST = "case.checklist", _("Checklist item confirmed")
    CASE_CHECKPOINT = "case.checkpoint", _("Checkpoint set")
    CASE_CHECKPOINT_DONE = "case.checkpoint_done", _("Checkpoint reached")
    CASE_PROGRESS_REMINDER = "case.progress_reminder", _("Progress report reminder sent")
    CASE_OUTCOME = "case.outcome", _("Outcomes recorded")
    CASE_DECISION_LETTER = "case.decision_letter", _("Decision letter issued")
    OFFICE_ACTIVITY = "office.activity", _("Office activity logged")
    CASE_OUTCOME_REMINDER = "case.outcome_reminder", _("Outcome revisit reminder sent")
    CASE_PROGRESS_REPORT = "case.progress_report", _("Progress report filed")
    CASE_TRANSFER_COMPLETED = "case.transfer_completed", _("Technology transfer completed")
    CASE_SUBMIT = "case.submit", _("Submitted")
    CASE_START_CHECKLIST = "case.start_checklist", _("Basic requirements check started")
    CASE_INITIAL_REVIEW = "case.initial_review", _("Initial review opinion")
    CASE_RETURN_FOR_SUPPLEMENT = (
        "case.return_for_supplement",
        _("Returned to the contractor for supplement"),
    )
    CASE_SEND_TO_SUBCOMMITTEE = "case.send_to_subcommittee", _("Sent to a sub-committee")
    CASE_SUBCOMMITTEE_PASS = "case.subcommittee_pass", _("Sub-committee: passed or forwarded")
    CASE_SUBCOMMITTEE_SUPPLEMENT = (
        "case.subcommittee_supplement",
        _("Sub-committee: supplementary material required"),
    )
    CASE_SUBCOMMITTEE_RETURN = "case.subcommittee_return", _("Sub-committee: returned")
    CASE_PUT_ON_AGENDA = "case.put_on_agenda", _("Put on the committee's agenda")
    CASE_PRE_APPROVE = "case.pre_approve", _("Pre-approved")
    CASE_REJECT = "case.reject", _("Rejected")
    CASE_RENEGOTIATE = "case.renegotiate", _("To renegotiate")
    CASE_START_EXECUTION = "case.start_execution", _("Execution started")
    CASE_REQUEST_ACTUAL_APPROVAL = "case.request_actual_approval", _("Actual approval requested")
    CASE_ACTUAL_APPROVE = "case.actual_approve", _("Actually approved")
    CASE_ACTUAL_REJECT = "case.actual_reject", _("Actual approval not granted")
    CASE_EXTEND = "case.extend", _("Extended")
    CASE_NOTE_ON_RECORD = "case.note_on_record", _("Taken on record")
    CASE_CLOSE = "case.close", _("Closed")
    CASE_CLOSE_WITH_RETENTION = "case.close_with_retention", _("Closed with credit retention")
    CASE_WITHDRAW_BY_COMMITTEE = "case.withdraw_by_committee", _("Withdrawn by the committee")
    CASE_WITHDRAW = "case.withdraw", _("Withdrawn")
    CASE_ASSIGN = "case.assign", _("Handler assigned")
    CONFLICT_DECLARE = "conflict.declare", _("Conflict of interest declared")
    CREDIT_BANK_OPEN = "credit_bank.open", _("Credit bank opened")
    DECISION_RECORD = "decision.record", _("Decision recorded")
    DEMAND_ITEM_CREATE = "demand_item.create", _("Filed as a draft")
    DEMAND_ITEM_UPDATE = "demand_item.update", _("Edited")
    DEMAND_ITEM_SUBMIT = "demand_item.submit", _("Submitted")
    DEMAND_ITEM_SCORE = "demand_item.score", _("Scored by a panel member")
    DEMAND_ITEM_CLASSIFY = "demand_item.classify", _("Classified by the panel's mean score")
    DEMAND_ITEM_HOLD = "demand_item.hold", _("Held to the next round")
    DEMAND_ITEM_ON_AGENDA = "demand_item.on_agenda", _("Put on the committee's agenda")
    DEMAND_ITEM_SECOND_REVIEW = (
        "demand_item.second_review",
        _("Second review by the promotion committee"),
    )
    DEMAND_ITEM_PUBLISH = "demand_item.publish", _("Published")
    EXCHANGE_RATE_SET = "exchange_rate.set", _("Exchange rate entered")
    FEE_RATE_SET = "fee_rate.set", _("Fee rate set")
    LEDGER_REVERSE = "ledger.reverse", _("Ledger entry reversed")
    MEETING_CREATE = "meeting.create", _("Meeting planned")
    MEETING_HELD = "meeting.held", _("Meeting held")
    MEETING_MEMBERS = "meeting.members", _("Members seated")
    MEMBERSHIP_CREATE = "membership.create", _("Member added")
    MINUTES_APPROVE = "minutes.approve", _("Minutes approved")
    MULTIPLIER_SET = "multiplier.set", _("Multiplier standard set")
    OPINION_FILE = "opinion.file", _("Opinion filed")
    ORGANIZATION_CREATE = "organization.create", _("Registered")
    ORGANIZATION_UPDATE = "organization.update", _("Edited")
    FEE_BLOCK = "organization.fee_block", _("Blocked for an overdue feedback fee")
    FEE_UNBLOCK = "organization.fee_unblock", _("Fee block lifted")
    PACKET_BUILD = "packet.build", _("Packet build requested")
    PACKET_BUILT = "packet.built", _("Packet built")
    PACKET_FAILED = "packet.failed", _("Packet build failed")
    PACKET_FINALIZE = "packet.finalize", _("Packet finalized and sent")
    PACKET_DOWNLOAD = "packet.download", _("Packet downloaded")
    PLAN_ITEM_ADD = "plan_item.add", _("Plan item added")
    PROCUREMENT_CREATE = "procurement.create", _("Procurement registered")
    PROCUREMENT_UPDATE = "procurement.update", _("Procurement edited")
    PROCUREMENT_STAGE = "procurement.stage", _("Procurement stage changed")
    PROCUREMENT_ASSESS = "procurement.assess", _("Capability assessment item recorded")
    PROCUREMENT_SPECIFY = "procurement.specify", _("ICP specification set")
    PROCUREMENT_TEAM = "procurement.team", _("Negotiation team member added")
    PROCUREMENT_NEGOTIATION = "procurement.negotiation", _("Negotiation meeting recorded")
    PROCUREMENT_PLAN_ITEM = "procurement.plan_item", _("Planned item chosen")
    PROCUREMENT_DUE_REMINDER = "procurement.due_reminder", _("Agreement due reminder sent")
    RESOLUTION_FOLLOW_UP = "resolution.follow_up", _("Resolution follow-up recorded")
    REVIEWER_CREATE = "reviewer.create", _("Reviewer added")
    REVIEWER_UPDATE = "reviewer.update", _("Reviewer edited")
    ROUND_OPEN = "round.open", _("Call round opened")
    ROUND_CLOSE = "round.close", _("Call round closed")
    USER_INVITE = "user.invite", _("Invited")
