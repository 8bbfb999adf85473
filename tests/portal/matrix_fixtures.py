"""One small world for the permission matrix (tests/portal/test_permission_matrix.py),
built once per module through the apps' services.

Two contractors with an agreement each (A's procurement belongs to procuring agency A,
B's to agency B); contractor A's cases in the statuses the actions need; a sub-committee
and a demand-item panel the reviewer sits on, and an open promotion committee meeting
(also with the reviewer) with an item and a decision; a call round with a proposing unit's
items in each status; a bill for the domestic recipient; the office's rates; API tokens
and browser sessions for every actor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from icp_portal.lib.uploads import blank_pdf

D = Decimal
PDF = blank_pdf()  # a real one-page PDF: uploads are parsed

ACTORS = (
    "staff",
    "contractor_a",
    "contractor_b",
    "reviewer",
    "proposer",
    "recipient",
    "agency",
    "token_ro",
    "anonymous",
)


@dataclass
class World:
    ids: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)  # actor → User
    tokens: dict = field(default_factory=dict)  # actor → API key
    sessions: dict = field(default_factory=dict)  # actor → session cookie value


def pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def build_world() -> World:
    from agreements import services as agreement_services
    from agreements.choices import Mode
    from cases import services as case_services
    from cases.models import Activity, Case, Checkpoint
    from committee import services as committee_services
    from committee.models import AgendaItem, ConflictDeclaration, Decision, Opinion
    from demand_items import services as item_services
    from demand_items.models import DemandItem, PanelScore
    from feedback.models import Bill, ExchangeRate
    from organizations.choices import MembershipRole, OrganizationKind, ReviewerKind
    from organizations.services import api_token_issue, office_group_sync
    from tests.factories import (
        MembershipFactory,
        OrganizationFactory,
        ProcurementFactory,
        ReviewerProfileFactory,
        UserFactory,
        make_agreement,
    )

    w = World()
    ids = w.ids

    # --- Parties and people ---------------------------------------------------------
    ExchangeRate.objects.get_or_create(
        currency="USD_PTS", effective_on=date(2000, 1, 1), defaults={"rate_twd": D("30.0")}
    )
    staff = UserFactory(username="mx-office", name="王怡君")
    staff.groups.add(office_group_sync())
    contractor_a = OrganizationFactory(
        kind=OrganizationKind.FOREIGN_CONTRACTOR, name_zh="雷神公司", name_en="Raytheon"
    )
    contractor_b = OrganizationFactory(
        kind=OrganizationKind.FOREIGN_CONTRACTOR, name_zh="波音公司", name_en="Boeing"
    )
    recipient = OrganizationFactory(
        kind=OrganizationKind.DOMESTIC_RECIPIENT,
        name_zh="漢翔",
        name_en="AIDC",
        country="TW",
        profit_making=True,
        defence_industry=True,
    )
    proposing_unit = OrganizationFactory(
        kind=OrganizationKind.PROPOSING_UNIT, name_zh="航太小組", name_en="Aerospace Office"
    )
    agency_a = OrganizationFactory(
        kind=OrganizationKind.PROCURING_AGENCY, name_zh="國防部", name_en="MND", country="TW"
    )
    agency_b = OrganizationFactory(
        kind=OrganizationKind.PROCURING_AGENCY, name_zh="交通部", name_en="MOTC", country="TW"
    )

    def member(username, organization):
        user = UserFactory(username=username)
        MembershipFactory(user=user, organization=organization, role=MembershipRole.MEMBER)
        return user

    a_member = member("mx-contractor-a", contractor_a)
    b_member = member("mx-contractor-b", contractor_b)
    proposer = member("mx-proposer", proposing_unit)
    recipient_member = member("mx-recipient", recipient)
    agency_member = member("mx-agency", agency_a)
    reviewer_profile = ReviewerProfileFactory(
        user=UserFactory(username="mx-reviewer"), kind=ReviewerKind.RESEARCH
    )
    reviewer = reviewer_profile.user
    w.users.update(
        staff=staff,
        token_ro=staff,
        contractor_a=a_member,
        contractor_b=b_member,
        reviewer=reviewer,
        proposer=proposer,
        recipient=recipient_member,
        agency=agency_member,
    )
    ids.update(
        staff_user=staff.pk,
        org_a=contractor_a.pk,
        org_b=contractor_b.pk,
        org_recipient=recipient.pk,
        org_proposer=proposing_unit.pk,
        org_agency=agency_a.pk,
        reviewer_profile=reviewer_profile.pk,
    )

    # --- Agreements ---------------------------------------------------------------------
    procurement_a = ProcurementFactory(agency=agency_a, contract_signed_on=date(2010, 12, 1))
    agreement_a = make_agreement(
        contractor=contractor_a,
        actor=staff,
        obligation="900000000.00",
        signed_on=date(2011, 1, 10),
        procurement=procurement_a,
    )
    for mode in (Mode.DOMESTIC_PROCUREMENT, Mode.TECHNOLOGY_TRANSFER):
        agreement_services.multiplier_standard_set(
            agreement=agreement_a,
            mode=mode,
            min_multiplier=D("1"),
            max_multiplier=D("20"),
            effective_from=date(2011, 1, 10),
            actor=staff,
        )
        agreement_services.plan_item_add(
            agreement=agreement_a, mode=mode, title=f"{mode} item", actor=staff
        )
    agreement_services.briefing_record(
        agreement=agreement_a, held_on=date(2011, 2, 15), title="招商說明會", actor=staff
    )
    procurement_b = ProcurementFactory(agency=agency_b)
    agreement_b = make_agreement(
        contractor=contractor_b, actor=staff, obligation="1000000.00", procurement=procurement_b
    )
    # Agency A's procurement still in planning (the pipeline, domain.md §12): no agreement.
    procurement_plan = ProcurementFactory(agency=agency_a, defence=True)
    ids.update(
        procurement_plan=procurement_plan.pk,
        procurement_a=procurement_a.pk,
        procurement_b=procurement_b.pk,
        agreement_a=agreement_a.pk,
        agreement_b=agreement_b.pk,
    )

    # --- Cases --------------------------------------------------------------------------
    def case(agreement, actor, status, title, *, documents=False):
        c = case_services.case_create(
            agreement=agreement,
            actor=actor,
            title_zh=title,
            title_en=title,
            use="indirect_defence",
            field="aerospace",
            starts_on=date(2011, 4, 1),
            ends_on=date(2031, 3, 31),
            activities=[
                {
                    "mode": Mode.DOMESTIC_PROCUREMENT,
                    "recipient": recipient,
                    "value": D("1000000.00"),
                    "requested_multiplier": D("2.00"),
                }
            ],
        )
        if documents:
            activity = c.activities.get()
            for kind, act in (
                ("application", None),
                ("plan", None),
                ("fee_commitment", activity),
                ("progress_evidence", None),
            ):
                case_services.document_upload(
                    case=c, kind=kind, upload=pdf(f"{kind}.pdf"), actor=actor, activity=act
                )
        Case.objects.filter(pk=c.pk).update(status=status)
        c.refresh_from_db()
        return c

    draft = case(agreement_a, a_member, "draft", "草稿個案", documents=True)
    submitted = case(agreement_a, a_member, "submitted", "已送件", documents=True)
    checklist = case(agreement_a, a_member, "checklist", "基本要件檢視", documents=True)
    initial = case(agreement_a, a_member, "initial_review", "初審", documents=True)
    sub = case(agreement_a, a_member, "subcommittee_review", "分組審查", documents=True)
    execution = case(agreement_a, a_member, "in_execution", "執行中", documents=True)
    on_record = case(agreement_a, a_member, "in_execution", "備查", documents=True)
    withdrawn = case(agreement_a, a_member, "withdrawn", "已撤案", documents=True)
    billed = case(agreement_a, a_member, "actual_requested", "實核", documents=True)
    case_b = case(agreement_b, b_member, "submitted", "波音個案", documents=True)
    # The executing case transfers technology (its completion date can be recorded).
    execution.activities.update(mode=Mode.TECHNOLOGY_TRANSFER)
    checkpoint = Checkpoint.objects.create(case=execution, title="Q2", due_on=date(2011, 6, 30))
    ids.update(
        case_draft=draft.pk,
        case_submitted=submitted.pk,
        case_checklist=checklist.pk,
        case_initial=initial.pk,
        case_sub=sub.pk,
        case_exec=execution.pk,
        case_withdrawn=withdrawn.pk,
        case_b=case_b.pk,
        doc_sub=sub.documents.first().pk,
        doc_b=case_b.documents.first().pk,
        activity_exec=execution.activities.get().pk,
        checkpoint_exec=checkpoint.pk,
    )

    # --- Meetings -----------------------------------------------------------------------
    experts = [ReviewerProfileFactory(kind=ReviewerKind.EXPERT) for _ in range(4)]
    association = ReviewerProfileFactory(kind=ReviewerKind.ASSOCIATION)
    subcommittee = committee_services.meeting_create(
        kind="subcommittee",
        year=2011,
        number=1,
        held_on=date(2011, 3, 1),
        actor=staff,
        members=[reviewer_profile, *experts, association],
    )
    AgendaItem.objects.create(meeting=subcommittee, case=sub, kind="case_review")
    # Another member's opinion and conflict: the reviewer must not see them.
    Opinion.objects.create(
        meeting=subcommittee,
        case=sub,
        reviewer=experts[0],
        opinion="他人意見",
        recommendation="pass",
    )
    ConflictDeclaration.objects.create(
        meeting=subcommittee, reviewer=experts[1], case=sub, reason="他人利益迴避"
    )
    # The bill: a promotion committee whose approved minutes actually approved `billed`.
    promo_done = committee_services.meeting_create(
        kind="promotion_committee", year=2011, number=1, held_on=date(2011, 3, 17), actor=staff
    )
    item = committee_services.agenda_add(
        meeting=promo_done, case=billed, kind="actual_approval", actor=staff
    )
    committee_services.decision_record(
        meeting=promo_done,
        agenda_item=item,
        outcome="approved",
        actor=staff,
        activities=[{"activity": billed.activities.get().pk, "actual_credits": "1000000.00"}],
    )
    committee_services.minutes_approve(
        meeting=promo_done, actor=staff, approved_on=date(2011, 3, 25)
    )
    bill = Bill.objects.get(case=billed)
    # A reversible ledger entry of agreement A: the actual credit the minutes posted.
    ids["entry_a"] = agreement_a.entries.get(kind="actual").pk
    # An open promotion committee meeting the reviewer sits on, with an item and a decision.
    promo_open = committee_services.meeting_create(
        kind="promotion_committee",
        year=2011,
        number=2,
        held_on=date(2011, 6, 2),
        actor=staff,
        members=[reviewer_profile],
    )
    open_item = committee_services.agenda_add(
        meeting=promo_open, case=on_record, kind="on_record", actor=staff
    )
    Decision.objects.create(agenda_item=open_item, outcome="noted", decided_by=staff)
    # A policy steering meeting (domain.md §12) whose minutes are approved: one resolution
    # in follow-up (會後管制). Only the office sees it (no reviewer sits on it).
    steering = committee_services.meeting_create(
        kind="policy_steering", year=2011, number=1, held_on=date(2011, 5, 10), actor=staff
    )
    request_item = committee_services.agenda_add_request(
        meeting=steering, subject="國防工合比例檢討", requested_by="mnd", actor=staff
    )
    committee_services.decision_record(
        meeting=steering,
        agenda_item=request_item,
        outcome="approved",
        note="請工合小組研議",
        actor=staff,
    )
    committee_services.minutes_approve(meeting=steering, actor=staff, approved_on=date(2011, 5, 20))
    ids.update(
        meeting_steer=steering.pk,
        follow_up=request_item.decision.follow_up.pk,
    )
    ids.update(
        meeting_sub=subcommittee.pk,
        meeting_promo=promo_open.pk,
        meeting_done=promo_done.pk,
        agenda_item_promo=open_item.pk,
        bill=bill.pk,
    )

    # --- Demand items -------------------------------------------------------------------
    call = item_services.round_open(
        year=2011, quarter=1, opens_on=date(2011, 1, 5), closes_on=date(2031, 1, 25), actor=staff
    )
    panel = [
        ReviewerProfileFactory(kind="official", official_of="idb"),
        ReviewerProfileFactory(kind="official", official_of="doit"),
        reviewer_profile,
        ReviewerProfileFactory(kind="research"),
        ReviewerProfileFactory(kind="research"),
        ReviewerProfileFactory(kind="scholar"),
        ReviewerProfileFactory(kind="scholar"),
    ]
    committee_services.meeting_create(
        kind="demand_panel",
        year=2011,
        number=1,
        held_on=date(2011, 2, 10),
        actor=staff,
        members=panel,
        round=call,
    )

    def demand_item(title, status, **extra):
        row = item_services.item_create(
            round=call,
            actor=proposer,
            title_zh=title,
            title_en=title,
            field="aerospace",
            source="C",
            description="說明",
            total_need=D("1000000"),
            icp_share=D("500000"),
        )
        DemandItem.objects.filter(pk=row.pk).update(status=status, **extra)
        return row

    item_draft = demand_item("草稿需求", "draft")
    item_submitted = demand_item("已提需求", "submitted")
    item_passed = demand_item(
        "通過需求", "passed", classification="priority", panel_score=D("85.00")
    )
    item_published = demand_item(
        "公開需求",
        "passed",
        classification="priority",
        panel_score=D("90.00"),
        published=True,
        published_on=date(2011, 4, 1),
    )
    PanelScore.objects.create(item=item_submitted, round=call, reviewer=panel[0], score=D("70"))
    ids.update(
        round=call.pk,
        item_draft=item_draft.pk,
        item_submitted=item_submitted.pk,
        item_passed=item_passed.pk,
        item_published=item_published.pk,
    )

    # --- The open promotion committee's packet: v1 final (its member reads a copy), v2
    # built and current (the office may finalize it).
    from committee import tasks as committee_tasks

    for final in (True, False):
        packet = committee_services.packet_build(meeting=promo_open, actor=staff)
        committee_tasks.build_packet(packet.pk)
        if final:
            committee_services.packet_finalize(packet=packet, actor=staff)
            for copy in packet.copies.all():  # the member's copy, as the worker builds it
                committee_tasks.build_member_copy(copy.pk)

    # --- A report staff asked for, built (issue 13): its status and file are staff's.
    from reports import services as report_services
    from reports import tasks as report_tasks

    job = report_services.report_request(
        kind="annual", parameters={"year": 2011}, format="xlsx", actor=staff
    )
    report_tasks.run_job(job.pk)
    ids["report"] = job.pk
    # The decision letters of the approved minutes: the office's and contractor A's.
    from reports.models import DecisionLetter

    report_services.letters_issue(meeting=promo_done, actor=staff)
    letter = DecisionLetter.objects.filter(case=billed).get()
    ids.update(letter=letter.pk, case_letter=billed.pk)

    # --- Guarantees and penalties (domain.md §13): a bond held on agreement A, and a
    # penalty on it the approved minutes decided (issued: it may be paid or waived).
    from agreements.choices import GuaranteeKind
    from feedback.models import Penalty

    guarantee = agreement_services.guarantee_add(
        agreement=agreement_a,
        kind=GuaranteeKind.PERFORMANCE_BOND,
        issuer="Bank of America, N.A.",
        amount=D("45000000.00"),
        currency="USD",
        valid_from=date(2011, 1, 10),
        valid_until=date(2022, 1, 10),
        actor=staff,
    )
    penalty_item = AgendaItem.objects.create(
        meeting=promo_done, kind="penalty", agreement=agreement_a
    )
    penalty = Penalty.objects.create(
        number="PN-2011-00001",
        agreement=agreement_a,
        meeting=promo_done,
        agenda_item=penalty_item,
        amount_twd=D("1000000"),
        issued_on=date(2011, 4, 8),
        due_on=date(2011, 5, 8),
    )
    ids.update(guarantee_a=guarantee.pk, penalty=penalty.pk)

    # --- Inbox notices: staff's (its read-only token reads them too) and contractor A's.
    from organizations.choices import NotificationKind
    from organizations.models import Notification

    for actor in ("staff", "contractor_a"):
        notice = Notification.objects.create(
            user=w.users[actor],
            kind=NotificationKind.CASE_RECEIVED,
            subject=f"matrix {actor}",
            link=f"/cases/{ids['case_submitted']}/",
        )
        ids[f"notification_{'a' if actor == 'contractor_a' else actor}"] = notice.pk

    # --- Credentials ------------------------------------------------------------------
    for actor, user in w.users.items():
        _token, key = api_token_issue(
            user=user, actor=staff, read_only=(actor == "token_ro"), name=f"matrix {actor}"
        )
        w.tokens[actor] = key
        if actor != "token_ro":
            client = Client()
            client.force_login(user)
            w.sessions[actor] = client.cookies["sessionid"].value
    assert Activity.objects.filter(case=execution).count() == 1
    return w
