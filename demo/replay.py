"""The 2010–2011 program years replayed through the real services (``cases.yaml``,
``meetings.yaml``).

The four promotion-committee meetings of 2011 with cases whose decisions add up exactly
to each meeting's published totals, plus the two 2010 meetings that pre-approved the cases
2011 actually approved, extended, closed or withdrew. Every step is a service call made by
the person who makes it in the portal, on its historical date where the service records
one: the contractor's member files the case (numbered C-<filing year>-…) with its PDFs and
submits it, the office runs the checklist and writes the initial review, a sub-committee
of 5–7 reviewers (experts more than half) files opinions and the office records the
outcome, the office builds the committee's agenda and records the decisions, and
approving the minutes (on their 2010–2011 date) moves the ledger. Between meetings the
contractors file their quarterly progress reports and, with the completion evidence,
request actual approval. The bills the actual approvals issue are then settled as 2011
went (``demo.feedback.settle_2011_bills``).

Idempotent: when the replay's meetings exist, nothing is written.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from agreements import services as agreement_services
from agreements.choices import EntryKind, Mode
from agreements.models import Agreement, CreditEntry, PlanItem
from cases import selectors as case_selectors
from cases import services as case_services
from cases.choices import CaseStatus, ChecklistResult, DocumentKind, SubcommitteeOutcome
from cases.models import Case
from committee import services, tasks
from committee.choices import PACKET_DRAFT_DAYS, AgendaKind, MeetingKind, Outcome
from committee.models import Meeting
from demo.feedback import settle_2011_bills
from demo.loader import D, at, load, office, party
from feedback import services as fee_services
from feedback.models import Penalty
from icp_portal.lib.uploads import blank_pdf, text_pdf
from organizations.choices import Language, MembershipRole
from organizations.models import Membership, ReviewerProfile, User
from reports import services as report_services

PASS, FORWARD = SubcommitteeOutcome.PASS, SubcommitteeOutcome.FORWARD
ACTIVE = (CaseStatus.PRE_APPROVED, CaseStatus.IN_EXECUTION)

# A tiny but real PDF (one blank page): the upload service parses the bytes.
PDF = blank_pdf()

# What the office, the reviewers and the committee write, by step (what the office writes
# for the contractor, in Chinese and English).
INITIAL_REVIEW = (
    "經查本案申請書、計畫書及承諾書齊備，執行項目符合協議書工業合作計畫，"
    "預核額度未超出購案可用額度；經洽產業推動小組確認個案價值，建議提產業分組"
    "委員會審查。"
)
INITIAL_REVIEW_EN = (
    "The application, the plan and the commitment letter are complete; the activities fit "
    "the agreement's industrial cooperation plan and the credit asked for is within the "
    "procurement's available credit. The industry promotion group confirmed the case's "
    "value. We recommend review by the industry sub-committee."
)
OPINION = {
    PASS: "技術層次及對國內產業之效益明確，價值與乘數合理，建議通過。",
    FORWARD: "個案效益及新增性尚有疑義，建議賡續送推動小組會議審議。",
}
SUBCOMMITTEE_NOTE = {PASS: "通過審查。", FORWARD: "賡續送工業合作推動小組會議審議。"}
SUBCOMMITTEE_NOTE_EN = {
    PASS: "Passed the review.",
    FORWARD: "Forwarded to the Industrial Cooperation Promotion Committee to decide.",
}
ACTUAL_REQUEST = "計畫目標均已達成，檢附完成佐證，申請實核。"
DECISION_NOTE = {
    "pre_approved": "通過預核，核定價值、乘數、期程及國內合作廠商如計畫書。",
    "actual": "經查個案已依計畫目標完成，通過實核。",
    "extended": "同意展延執行期限，期程依外商所提修正計畫。",
    "closed": "個案執行完竣，同意結案。",
    "closed_with_retention": (
        "同意結案，超出協議書義務之實核額度依規定留存（101年前簽署之協議書）。"
    ),
}
DECISION_NOTE_EN = {
    "pre_approved": (
        "Pre-approved: the value, multipliers, schedule and domestic partners as in the plan."
    ),
    "actual": "The case has reached its plan's goals: actually approved.",
    "extended": "The execution period is extended; the schedule follows the contractor's "
    "revised plan.",
    "closed": "The case is complete: closure approved.",
    "closed_with_retention": (
        "Closure approved; the actual credit beyond the agreement's obligation is retained as "
        "the rules allow (agreements signed before 2012)."
    ),
}


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _quarter_before(day: date) -> tuple[int, int]:
    quarter = (day.month - 1) // 3 + 1
    return (day.year, quarter - 1) if quarter > 1 else (day.year - 1, 4)


def _quarter_end(year: int, quarter: int) -> date:
    return date(year, 3 * quarter, 1) + relativedelta(months=1, days=-1)


def meeting_title(spec: dict) -> str:
    return f"{spec['year'] - 1911}年度第{spec['number']}次工業合作推動小組會議"


def meeting_title_en(spec: dict) -> str:
    year, number = spec["year"], spec["number"]
    return f"Industrial Cooperation Promotion Committee, {year} meeting no. {number}"


class Replay:
    """Walks the meetings in order, keeping the cases it creates by key."""

    def __init__(self):
        self.specs: dict[str, dict] = load("cases")
        self.panels: dict[str, list[str]] = load("meetings")["panels"]
        self.committee: list[str] = load("meetings")["committee"]
        self.notes_en: dict[str, str] = load("meetings").get("notes_en", {})
        self.office = office()
        self.reviewers = {
            p.user.username: p for p in ReviewerProfile.objects.select_related("user")
        }
        self.cases: dict[str, Case] = {}
        self.members: dict[int, list[Membership]] = {}
        self.pre_approved_on: dict[str, date] = {}

    # -- people ---------------------------------------------------------------------
    def contractor_person(self, case: Case, role: str = MembershipRole.MANAGER) -> User:
        """The contractor's demo member who files (the manager; the member for progress
        reports when there is one), or the office for a contractor without one."""
        contractor_id = case.agreement.contractor_id
        if contractor_id not in self.members:
            self.members[contractor_id] = list(
                Membership.objects.filter(organization_id=contractor_id)
                .select_related("user")
                .order_by("user__username")
            )
        members = self.members[contractor_id]
        chosen = [m for m in members if m.role == role] or members
        return chosen[0].user if chosen else self.office

    # -- filing and the office's checks -----------------------------------------------
    def file(self, key: str, filed_on: date) -> Case:
        spec = self.specs[key]
        agreement = Agreement.objects.get(number=spec["agreement"])
        plan_item = (
            PlanItem.objects.filter(agreement=agreement, title=spec["plan"]).first()
            if spec.get("plan")
            else None
        )
        filer = self.contractor_person(Case(agreement=agreement))
        case = case_services.case_create(
            agreement=agreement,
            actor=filer,
            filed_on=filed_on,
            activities=[
                {
                    "mode": activity["mode"],
                    "recipient": party(activity["recipient"]),
                    "value": D(activity["value"]),
                    "requested_multiplier": D(activity.get("multiplier", "1.00")),
                }
                for activity in spec["activities"]
            ],
            title_zh=spec["title_zh"],
            title_en=spec["title_en"],
            use=spec["use"],
            field=spec["field"],
            starts_on=spec["starts_on"],
            ends_on=spec["ends_on"],
            description=spec.get("description", ""),
            plan_item=plan_item,
        )
        for kind, name, pages in (
            (DocumentKind.APPLICATION, "Application for pre-approval", 1),
            (DocumentKind.PLAN, "Industrial cooperation plan", 2),
        ):
            content = text_pdf(
                [
                    name,
                    f"Case {case.number}: {case.title_en}",
                    f"Agreement {agreement.number}, {agreement.contractor.name_en}",
                    f"Filed on {filed_on.isoformat()}",
                ],
                pages=pages,
            )
            upload = SimpleUploadedFile(f"{kind}.pdf", content, content_type="application/pdf")
            case_services.document_upload(case=case, kind=kind, upload=upload, actor=filer)
        for number, activity in enumerate(case.activities.select_related("recipient"), 1):
            if activity.recipient.profit_making:
                case_services.document_upload(
                    case=case,
                    kind=DocumentKind.FEE_COMMITMENT,
                    activity=activity,
                    upload=_pdf(f"fee-commitment-{number}.pdf"),
                    actor=filer,
                )
            if activity.mode == Mode.TECHNOLOGY_TRANSFER:
                case_services.document_upload(
                    case=case,
                    kind=DocumentKind.EXPORT_CONTROL_COMMITMENT,
                    activity=activity,
                    upload=_pdf(f"export-control-commitment-{number}.pdf"),
                    actor=filer,
                )
        case = case_services.case_submit(case=case, actor=filer, submitted_at=at(filed_on))
        case = case_services.case_start_checklist(case=case, actor=self.office)
        for code in ("forms_complete", "chosen_publicly"):
            case_services.checklist_confirm(
                case=case, code=code, result=ChecklistResult.PASS, actor=self.office
            )
        case = case_services.case_initial_review(
            case=case, opinion=INITIAL_REVIEW, opinion_en=INITIAL_REVIEW_EN, actor=self.office
        )
        self.cases[key] = case
        return case

    def subcommittee(self, year: int, spec: dict) -> Meeting:
        cases = {key: self.file(key, spec["filed_on"]) for key in spec["cases"]}
        panel = self.panels[spec["panel"]]
        meeting = services.meeting_create(
            kind=MeetingKind.SUBCOMMITTEE,
            year=year,
            number=spec["number"],
            held_on=spec["held_on"],
            title=spec["title"],
            title_en=spec.get("title_en", ""),
            members=[self.reviewers[name] for name in panel],
            actor=self.office,
        )
        for case in cases.values():
            services.agenda_add(
                meeting=meeting, case=case, kind=AgendaKind.CASE_REVIEW, actor=self.office
            )
        conflicted = set()
        for conflict in spec.get("conflicts", []):
            username, key = conflict["reviewer"], conflict["case"]
            services.conflict_declare(
                meeting=meeting,
                case=cases[key],
                reason=conflict["reason"],
                actor=self.reviewers[username].user,
            )
            conflicted.add((username, key))
        for key, outcome in spec["cases"].items():
            for seat, username in enumerate(panel):
                if (username, key) in conflicted:
                    continue
                # A forwarded case splits the panel: the first seat would have passed it.
                recommendation = PASS if outcome == FORWARD and seat == 0 else outcome
                services.opinion_file(
                    meeting=meeting,
                    case=cases[key],
                    opinion=OPINION[recommendation],
                    recommendation=recommendation,
                    actor=self.reviewers[username].user,
                )
            self.cases[key] = case_services.case_subcommittee_review(
                case=cases[key],
                outcome=outcome,
                note=SUBCOMMITTEE_NOTE[outcome],
                note_en=SUBCOMMITTEE_NOTE_EN[outcome],
                actor=self.office,
            )
        return services.meeting_mark_held(meeting=meeting, actor=self.office)

    # -- execution ----------------------------------------------------------------------
    def progress_reports(self, year: int, quarter: int, finishing: set[str]) -> None:
        """Every case in execution reports on the quarter; those about to request actual
        approval report completion."""
        quarter_end = _quarter_end(year, quarter)
        for key, case in self.cases.items():
            case.refresh_from_db()
            if case.status not in ACTIVE or self.pre_approved_on[key] > quarter_end:
                continue
            # A report is for a quarter of the case's schedule: a case that starts after the
            # quarter reports on its first quarter instead (if it is finishing), or not yet.
            schedule = [
                (row["year"], row["quarter"])
                for row in case_selectors.progress_report_status(case=case)
            ]
            period = (year, quarter)
            if period not in schedule:
                if key not in finishing or not schedule or schedule[0] < period:
                    continue
                period = schedule[0]
            if case.progress_reports.filter(year=period[0], quarter=period[1]).exists():
                continue
            if key in finishing:
                percent = 100
            else:
                span = (case.ends_on - case.starts_on).days
                elapsed = (quarter_end - case.starts_on).days
                percent = min(95, max(5, round(100 * elapsed / span)))
            reporter = self.contractor_person(case, MembershipRole.MEMBER)
            english = reporter.language == Language.EN
            progress = (
                f"Q{period[1]} {period[0]}: all work items completed; completion evidence attached."
                if percent == 100 and english
                else f"{period[0]}年第{period[1]}季：全部工作項目完成，檢附完成佐證資料。"
                if percent == 100
                else f"Q{period[1]} {period[0]}: work proceeding to plan, {percent}% complete."
                if english
                else f"{period[0]}年第{period[1]}季：依計畫執行，累計完成{percent}%。"
            )
            case_services.progress_report_file(
                case=case,
                year=period[0],
                quarter=period[1],
                progress=progress,
                percent_complete=percent,
                actor=reporter,
            )

    def request_actual(self, key: str) -> None:
        case = self.cases[key]
        person = self.contractor_person(case)
        case_services.document_upload(
            case=case,
            kind=DocumentKind.PROGRESS_EVIDENCE,
            upload=_pdf("completion-evidence.pdf"),
            actor=person,
        )
        self.cases[key] = case_services.case_request_actual_approval(
            case=case, actor=person, note=ACTUAL_REQUEST
        )

    def actual_credits(self, key: str) -> list[dict]:
        """The actual credits of each activity: as pre-approved unless the data say."""
        planned = {
            (a["mode"], party(a["recipient"]).pk, D(a["value"])): a.get("actual")
            for a in self.specs[key]["activities"]
        }
        return [
            {
                "activity": activity.pk,
                "actual_credits": D(actual)
                if (actual := planned[(activity.mode, activity.recipient_id, activity.value)])
                else activity.pre_approved_credits,
            }
            for activity in self.cases[key].activities.all()
        ]

    # -- the promotion committee ------------------------------------------------------------
    def promotion(self, spec: dict) -> Meeting:
        for key in spec.get("actual", []):
            self.request_actual(key)
        meeting = services.meeting_create(
            kind=MeetingKind.PROMOTION_COMMITTEE,
            year=spec["year"],
            number=spec["number"],
            held_on=spec["held_on"],
            title=meeting_title(spec),
            title_en=meeting_title_en(spec),
            members=[self.reviewers[name] for name in self.committee],
            actor=self.office,
        )
        # The agenda first, then the packet the members read, then the minutes' decisions.
        decisions: list[tuple] = []

        def decide(key, kind, outcome, note="", note_en="", **extra):
            item = services.agenda_add(
                meeting=meeting, case=self.cases[key], kind=kind, actor=self.office
            )
            # The reasons of meetings.yaml have their English in its ``notes_en``.
            note_en = note_en or self.notes_en.get(note, "")
            decisions.append((item, outcome, note, note_en, extra))

        for key in spec.get("pre_approved", []):
            decide(
                key,
                AgendaKind.PRE_APPROVAL,
                Outcome.APPROVED,
                DECISION_NOTE["pre_approved"],
                DECISION_NOTE_EN["pre_approved"],
                activities=[
                    {"activity": activity.pk, "approved_multiplier": activity.requested_multiplier}
                    for activity in self.cases[key].activities.all()
                ],
            )
        for key, reason in spec.get("rejected", {}).items():
            decide(key, AgendaKind.PRE_APPROVAL, Outcome.REJECTED, reason)
        for key in spec.get("actual", []):
            decide(
                key,
                AgendaKind.ACTUAL_APPROVAL,
                Outcome.APPROVED,
                DECISION_NOTE["actual"],
                DECISION_NOTE_EN["actual"],
                activities=self.actual_credits(key),
            )
        for key, new_end in spec.get("extended", {}).items():
            decide(
                key,
                AgendaKind.EXTENSION,
                Outcome.EXTENDED,
                DECISION_NOTE["extended"],
                DECISION_NOTE_EN["extended"],
                new_ends_on=new_end,
            )
        for key, note in spec.get("on_record", {}).items():
            decide(key, AgendaKind.ON_RECORD, Outcome.NOTED, note)
        for key in spec.get("closed", []):
            decide(
                key,
                AgendaKind.CLOSURE,
                Outcome.CLOSED,
                DECISION_NOTE["closed"],
                DECISION_NOTE_EN["closed"],
            )
        for key in spec.get("closed_with_retention", []):
            decide(
                key,
                AgendaKind.CLOSURE,
                Outcome.CLOSED_WITH_RETENTION,
                DECISION_NOTE["closed_with_retention"],
                DECISION_NOTE_EN["closed_with_retention"],
            )
        for key, reason in spec.get("withdrawn", {}).items():
            decide(key, AgendaKind.WITHDRAWAL, Outcome.WITHDRAWN, reason)
        # An agreement past its end with credit outstanding (domain.md §13): the office
        # records the maximum penalty the committee set and puts it on the agenda.
        for shortfall in spec.get("shortfalls", []):
            agreement = Agreement.objects.get(number=shortfall["agreement"])
            agreement_services.agreement_set_penalty_cap(
                agreement=agreement,
                penalty_cap_twd=D(shortfall["penalty_cap_twd"]),
                actor=self.office,
            )
            item = services.agenda_add_agreement(
                meeting=meeting,
                agreement=agreement,
                note=shortfall["item_note"],
                actor=self.office,
            )
            decisions.append(
                (
                    item,
                    Outcome.APPROVED,
                    shortfall["note"],
                    shortfall["note_en"],
                    {"amount_twd": D(shortfall["penalty_twd"])},
                )
            )
        for conflict in spec.get("conflicts", []):
            services.conflict_declare(
                meeting=meeting,
                case=self.cases[conflict["case"]],
                reason=conflict["reason"],
                actor=self.reviewers[conflict["reviewer"]].user,
            )
        self.packet(meeting)
        for item, outcome, note, note_en, extra in decisions:
            services.decision_record(
                meeting=meeting,
                agenda_item=item,
                outcome=outcome,
                note=note,
                note_en=note_en,
                actor=self.office,
                **extra,
            )
        meeting = services.minutes_approve(
            meeting=meeting, actor=self.office, approved_on=spec["minutes_approved_on"]
        )
        # The decision letters, as the task issues them after the commit (here at once,
        # with the mail silenced: the task then finds them issued and sends nothing).
        report_services.letters_issue(meeting=meeting, actor=self.office)
        for shortfall in spec.get("shortfalls", []):
            self.penalty_follow_up(meeting, shortfall)
        for key in spec.get("pre_approved", []):
            self.pre_approved_on[key] = spec["held_on"]
        return meeting

    def penalty_follow_up(self, meeting: Meeting, shortfall: dict) -> None:
        """The penalty the minutes issued, as it went: the contractor's payments (recorded
        by the office) and the daily job marking what is left overdue after the due date."""
        penalty = Penalty.objects.get(meeting=meeting, agreement__number=shortfall["agreement"])
        for payment in shortfall.get("payments", []):
            fee_services.penalty_payment_record(
                penalty=penalty,
                paid_on=payment["paid_on"],
                amount_twd=D(payment["amount_twd"]),
                reference=payment.get("reference", ""),
                actor=self.office,
            )
        if shortfall.get("overdue_checked_on"):
            fee_services.penalties_mark_overdue(
                today=shortfall["overdue_checked_on"], actor=self.office
            )

    def packet(self, meeting: Meeting) -> None:
        """The meeting's packet as the office made it: built 7 days before the meeting
        (rendered here, as the Celery task would) and sent to the members the next day."""
        packet = services.packet_build(meeting=meeting, actor=self.office)
        built_on = meeting.held_on - timedelta(days=PACKET_DRAFT_DAYS)
        if tasks.run_build(packet.pk, built_at=at(built_on, 15)) != "done":
            packet.refresh_from_db()
            raise RuntimeError(f"The demo packet of {meeting} failed: {packet.error}")
        packet.refresh_from_db()
        services.packet_finalize(
            packet=packet,
            actor=self.office,
            sent_at=at(built_on + timedelta(days=1)),
            copies=False,  # each member's copy is built at their first download
        )

    def run(self) -> list[Meeting]:
        data = load("meetings")
        meetings = []
        for spec in data["meetings"]:
            self.progress_reports(
                *_quarter_before(spec["held_on"]), finishing=set(spec.get("actual", []))
            )
            for subcommittee in spec["subcommittees"]:
                self.subcommittee(spec["year"], subcommittee)
            meetings.append(self.promotion(spec))
        self.progress_reports(*data["last_quarter"], finishing=set())
        return meetings


def case_by_key(key: str) -> Case:
    """The demo case of ``cases.yaml``'s ``key`` (its agreement and Chinese title)."""
    spec = load("cases")[key]
    return Case.objects.get(agreement__number=spec["agreement"], title_zh=spec["title_zh"])


def _meeting_keys() -> list[tuple[str, int, int]]:
    keys = []
    for spec in load("meetings")["meetings"]:
        keys.append((MeetingKind.PROMOTION_COMMITTEE, spec["year"], spec["number"]))
        keys += [
            (MeetingKind.SUBCOMMITTEE, spec["year"], sc["number"]) for sc in spec["subcommittees"]
        ]
    return keys


def _points(amount) -> str:
    return f"{amount:,.2f}".removesuffix(".00")


def meeting_summary(meeting: Meeting) -> str:
    """What the approved minutes decided, read back from the ledger and the decisions."""
    entries = CreditEntry.objects.filter(meeting=meeting)

    def by_currency(kind):
        rows = entries.filter(kind=kind).values("currency").annotate(total=Sum("amount"))
        return " + ".join(
            f"{_points(row['total'])} {row['currency'].replace('_PTS', ' pts')}"
            for row in rows.order_by("-currency")  # USD pts first
        )

    # (agenda kind, outcome) → how many
    counts = defaultdict(int, Counter(meeting.agenda.values_list("kind", "decision__outcome")))
    parts = [
        f"pre-approved {counts[(AgendaKind.PRE_APPROVAL, Outcome.APPROVED)]} "
        f"({by_currency(EntryKind.RESERVE) or 0})",
        f"actual {counts[(AgendaKind.ACTUAL_APPROVAL, Outcome.APPROVED)]} "
        f"({by_currency(EntryKind.ACTUAL) or 0})",
    ]
    for label, key in (
        ("rejected", (AgendaKind.PRE_APPROVAL, Outcome.REJECTED)),
        ("on record", (AgendaKind.ON_RECORD, Outcome.NOTED)),
        ("closed", (AgendaKind.CLOSURE, Outcome.CLOSED)),
        ("closed with retention", (AgendaKind.CLOSURE, Outcome.CLOSED_WITH_RETENTION)),
        ("extended", (AgendaKind.EXTENSION, Outcome.EXTENDED)),
        ("withdrawn", (AgendaKind.WITHDRAWAL, Outcome.WITHDRAWN)),
    ):
        if counts[key]:
            parts.append(f"{label} {counts[key]}")
    for penalty in Penalty.objects.filter(meeting=meeting).select_related("agreement"):
        parts.append(
            f"penalty NT${penalty.amount_twd:,.0f} on {penalty.agreement.number} "
            f"(due {penalty.due_on.isoformat()}, {penalty.status})"
        )
    return (
        f"  {meeting.year} #{meeting.number} ({meeting.held_on.isoformat()}, minutes "
        f"{meeting.minutes_approved_on.isoformat()}): " + ", ".join(parts)
    )


def seed() -> list[str]:
    """Replay 2010 #3–#4 and the four 2011 promotion-committee meetings (once)."""
    keys = _meeting_keys()
    existing = [
        key
        for key in keys
        if Meeting.objects.filter(kind=key[0], year=key[1], number=key[2]).exists()
    ]
    if existing:
        kind, year, number = existing[0]
        done = len(existing) == len(keys)
        return [
            "Committee: the 2011 replay is already loaded."
            if done
            else f"Committee: 2011 replay skipped, {year} {kind} #{number} already exists."
        ]
    meetings = Replay().run()
    # The actual approvals issued feedback-fee bills; settle them as 2011 went.
    fee_lines = settle_2011_bills(actor=office())
    lines = [
        f"Committee: replayed {len(meetings)} promotion-committee meetings "
        f"(2010 #3–#4, 2011 #1–#4), {len(keys) - len(meetings)} sub-committee meetings "
        f"and {len(load('cases'))} cases; 2011:"
    ]
    lines += [meeting_summary(m) for m in meetings if m.year == 2011]
    return lines + fee_lines
