"""Meetings of the promotion committee (工業合作推動小組會議), industry sub-committees
(產業分組委員會) and demand-item panels; their agendas, opinions, conflicts of interest and
decisions (the minutes)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices import SubcommitteeOutcome
from cases.models import Case
from committee.choices import (
    AgendaKind,
    FollowUpStatus,
    MeetingKind,
    MeetingStatus,
    Outcome,
    PacketStage,
    PacketStatus,
    Requester,
)
from icp_portal.lib.models import PROGRAM_YEAR, ChoiceLabelsMixin, program_date
from icp_portal.lib.texts import LocalizedText, localized
from organizations.models import ReviewerProfile, is_office_staff


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user) -> MeetingQuerySet:
        """Staff see every meeting; a reviewer the meetings they sit on."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_office_staff(user):
            return self
        return self.filter(members__user=user).distinct()


class Meeting(models.Model):
    """A meeting: promotion committee (numbered per year, about four a year), an industry
    sub-committee, or a demand-item panel."""

    kind = models.CharField(_("kind"), max_length=24, choices=MeetingKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=PROGRAM_YEAR)
    number = models.PositiveSmallIntegerField(_("number"))
    held_on = models.DateField(_("held on"), validators=[program_date])
    # ``title`` is the Chinese title the office gives; ``title_en`` its English version.
    title = models.CharField(_("title"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    # The call round a demand-item panel scores (panels only).
    round = models.ForeignKey(
        "demand_items.CallRound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="panels",
        verbose_name=_("round"),
    )
    members = models.ManyToManyField(
        ReviewerProfile, blank=True, related_name="meetings", verbose_name=_("members")
    )
    minutes_approved_on = models.DateField(
        _("minutes approved on"), validators=[program_date], null=True, blank=True
    )
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number"],
                name="meeting_number_per_kind_and_year",
                violation_error_message=_("This meeting number is already used this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} #{self.number}"

    @property
    def title_localized(self) -> LocalizedText:
        """The meeting's title in the reader's language (the Chinese where none)."""
        return localized(self.title, self.title_en)


class AgendaItem(ChoiceLabelsMixin, models.Model):
    """An item on a meeting's agenda: a case to pre-approve, actually approve, extend…"""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaKind.choices)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("case"),
    )
    demand_item = models.ForeignKey(
        "demand_items.DemandItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("demand item"),
    )
    # The agreement a shortfall item (kind ``penalty``) is about.
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("agreement"),
    )
    # A policy steering request (kind ``steering_request``): its subject and who asks.
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    requested_by = models.CharField(
        _("requested by"), max_length=8, choices=Requester.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case", "kind"],
                name="agenda_item_once_per_meeting",
                violation_error_message=_("This case is already on the agenda for that."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "demand_item"],
                name="agenda_demand_item_once_per_meeting",
                violation_error_message=_("This demand item is already on the agenda."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "agreement"],
                name="agenda_agreement_once_per_meeting",
                violation_error_message=_("This agreement is already on the agenda."),
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False, demand_item__isnull=True, agreement__isnull=True)
                | Q(case__isnull=True, demand_item__isnull=False, agreement__isnull=True)
                | Q(case__isnull=True, demand_item__isnull=True, agreement__isnull=False)
                | Q(
                    case__isnull=True,
                    demand_item__isnull=True,
                    agreement__isnull=True,
                    kind=AgendaKind.STEERING_REQUEST,
                ),
                name="agenda_item_names_one_subject",
            ),
        ]

    def __str__(self) -> str:
        # The check constraint: an item names a case, a demand item or an agreement.
        if self.case is not None:
            subject = self.case.number
        elif self.demand_item is not None:
            subject = self.demand_item.title_zh
        elif self.agreement is not None:
            subject = self.agreement.number
        else:
            subject = self.subject
        return f"{self.get_kind_display()}: {subject}"


class Decision(ChoiceLabelsMixin, models.Model):
    """The decision on one agenda item, as the minutes record it; applied when the minutes
    are approved (then it can no longer change)."""

    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    # The decision's conditions or reasons as the minutes word them; ``note_en`` in English.
    note = models.TextField(_("note"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    new_ends_on = models.DateField(
        _("new end date"), validators=[program_date], null=True, blank=True
    )
    # The penalty (NT$) decided on a shortfall item (kind ``penalty``, outcome approved).
    amount_twd = models.DecimalField(
        _("penalty (NT$)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    # [{"activity": id, "approved_multiplier": "15.00"}] or [{"activity": id, "actual_credits": …}]
    activities = models.JSONField(_("activities"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.agenda_item}: {self.get_outcome_display()}"

    @property
    def note_localized(self) -> LocalizedText:
        """The decision's conditions or reasons in the reader's language."""
        return localized(self.note, self.note_en)


class ResolutionFollowUp(models.Model):
    """The follow-up (會後管制) of one resolution of a policy steering meeting: what has been
    done about it, until it is carried out; the next steering meeting's packet shows it."""

    decision = models.OneToOneField(
        Decision, on_delete=models.CASCADE, related_name="follow_up", verbose_name=_("resolution")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    progress = models.TextField(_("progress"), blank=True)
    carried_out_on = models.DateField(
        _("carried out on"), validators=[program_date], null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resolution follow-up")
        verbose_name_plural = _("resolution follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=FollowUpStatus.OPEN, carried_out_on__isnull=True)
                | Q(status=FollowUpStatus.CARRIED_OUT, carried_out_on__isnull=False),
                name="follow_up_carried_out_has_its_date",
                violation_error_message=_("A resolution carried out has the day it was."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision}: {self.get_status_display()}"


class OwnRowsQuerySet(models.QuerySet):
    """Rows a reviewer files about themselves (opinions, conflicts of interest)."""

    def visible_to(self, user):
        """Staff see every member's rows (the office's working papers); a reviewer sees
        only their own; nobody else any."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_office_staff(user):
            return self
        return self.filter(reviewer__user=user)


class Opinion(models.Model):
    """A sub-committee reviewer's opinion form (審查意見) on a case."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="opinions")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="opinions")
    reviewer = models.ForeignKey(ReviewerProfile, on_delete=models.PROTECT, related_name="opinions")
    opinion = models.TextField(_("opinion"))
    recommendation = models.CharField(
        _("recommendation"), max_length=16, choices=SubcommitteeOutcome.choices
    )
    filed_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = OwnRowsQuerySet.as_manager()

    class Meta:
        ordering = ["filed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case", "reviewer"], name="opinion_one_per_reviewer_and_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.case_id}"


class ConflictDeclaration(models.Model):
    """A member's declared conflict of interest (利益迴避): they cannot file on that item."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(
        ReviewerProfile, on_delete=models.PROTECT, related_name="conflicts"
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    demand_item = models.ForeignKey(
        "demand_items.DemandItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflicts",
    )
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(auto_now_add=True)

    objects = OwnRowsQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "reviewer", "case"],
                name="conflict_once_per_item",
                violation_error_message=_("This conflict is already declared."),
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(demand_item__isnull=False),
                name="conflict_names_an_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} × {self.case_id}"


def _packet_path(packet: Packet, filename: str) -> str:
    # Private storage: never under a public URL; served by a view that checks access.
    return f"private/packets/{packet.meeting_id}/v{packet.version}.pdf"


class Packet(models.Model):
    """One built version of a meeting's packet (會議資料): the status row the pages and the
    API show while Celery builds it, then the stored PDF and what it was built from."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packets")
    version = models.PositiveIntegerField(_("version"))
    stage = models.CharField(
        _("stage"), max_length=8, choices=PacketStage.choices, default=PacketStage.DRAFT
    )
    status = models.CharField(
        _("status"), max_length=8, choices=PacketStatus.choices, default=PacketStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size_bytes = models.PositiveIntegerField(_("size"), null=True, blank=True)
    # When a worker claimed the build (queued → running): a build running for longer than
    # the task time limit was killed with its worker and is expired by the next request.
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    error = models.TextField(_("error"), blank=True)
    # The digest of what the PDF was built from (selectors.packet_source_hash).
    source_hash = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to=_packet_path, max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("packet")
        verbose_name_plural = _("packets")
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "version"], name="packet_version_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="packet_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.version}"


def _copy_path(copy: PacketCopy, filename: str) -> str:
    packet = copy.packet
    return f"private/packets/{packet.meeting_id}/v{packet.version}-member-{copy.member_id}.pdf"


class PacketCopy(models.Model):
    """A member's own copy of a final packet (their name and the date on every page, the
    items they declared a conflict on withheld), built by Celery when the packet is
    finalized and then served as stored: a download never renders."""

    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="copies")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="packet_copies"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=PacketStatus.choices, default=PacketStatus.QUEUED
    )
    file = models.FileField(upload_to=_copy_path, max_length=200, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("member's copy")
        verbose_name_plural = _("members' copies")
        constraints = [
            models.UniqueConstraint(fields=["packet", "member"], name="packet_copy_once")
        ]

    def __str__(self) -> str:
        return f"{self.packet} × {self.member_id}"
