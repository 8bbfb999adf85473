"""Benchmark of the committee meeting packet (會議資料) PDF.

    python -m bench.packet [--fresh] [--repeat N] [--variant NAME ...] [--json]

Builds (once; reused while complete) a promotion-committee meeting of 50 pre-approval
cases in its own PostgreSQL database (``BENCH_DATABASE_URL`` + ``_packet``, by default
``icp_bench_packet``; its uploads under ``$TMPDIR/icp_bench_packet_media``), every case
taken through the real services: filed by the contractor with 2–3 activities and two
10-page PDFs (application and plan) plus its commitments, checklist, initial review, a
sub-committee with 3–5 opinions, then the committee's agenda; one member declares a
conflict on one case.

Then it measures, each in a fresh child process (peak RSS: the child's own high-water
mark, VmHWM, at the job's end; CPU time from ``wait4``):

* the build job: ``committee.tasks.run_build`` of a queued packet version (claim, source
  digest, render, page count, store), with the time between the stages of ``packet_pdf``
  (contents, attachments opened, HTML, WeasyPrint render, ``write_pdf``, attachment merge);
* the member's copy: ``committee.pdf.render_packet`` for the conflicted member (their name
  on every page, their conflicted case withheld), what the copy task renders when the
  packet is finalized (a download then serves the stored file).

Prints a JSON object on stdout and a table on stderr. The issue's goal for the build is
under 10 s and 400 MB on the 2-core machine. ``--variant`` runs the build again with one
cheap change patched in the child (see ``VARIANTS``), to show what moves what.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.common import create_database

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://icp:icp@127.0.0.1:5432/icp_bench")
MEDIA_ROOT = Path(tempfile.gettempdir()) / "icp_bench_packet_media"

CASES = 50
ATTACHMENT_PAGES = 10
CASES_PER_SUBCOMMITTEE = 10
MEETING_TITLE = "BENCH 會議資料效能測試"
GOAL_SECONDS, GOAL_MB = 10.0, 400.0


def _database_url() -> str:
    parts = urlsplit(BASE_URL)
    return urlunsplit(parts._replace(path=f"{parts.path}_packet"))


def _environment() -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "icp_portal.settings",
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(MEDIA_ROOT),
        "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_URL": "locmem://",
        "LOG_LEVEL": "ERROR",
    }
    # No broker: the build is run here, in a child process, not by a worker.
    env.pop("CELERY_BROKER_URL", None)
    env.pop("CELERY_RESULT_BACKEND", None)
    return env


def _create_database(*, fresh: bool) -> None:
    if fresh:
        shutil.rmtree(MEDIA_ROOT, ignore_errors=True)
    create_database(_database_url(), fresh=fresh)


def _setup_django() -> None:
    os.environ.update(_environment())
    import django

    django.setup()


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- The data set -------------------------------------------------------------------------

INITIAL_REVIEW = (
    "經查本案申請書、計畫書及承諾書齊備，執行項目符合協議書工業合作計畫，預核額度未超出"
    "購案可用額度；國內合作廠商係公開徵求，技術層級及對國內產業之效益經洽產業推動小組"
    "確認，個案價值與申請乘數尚屬合理，建議提產業分組委員會審查。"
)
OPINIONS = [
    "本案技術移轉內容明確，涵蓋設計、製造及測試程序，對國內廠商提升{field}領域之自主能力"
    "有具體助益；申請乘數在協議書乘數標準之內，價值估算依據充分，建議通過。",
    "國內採購部分之價值計算已附報價及合約草案佐證，惟執行期程偏緊，建議外商於計畫書補充"
    "各階段查核點及人力配置，並於進度報告中按季說明執行情形。",
    "本案與國內既有產能互補，可建立後續維修及零組件供應鏈，效益良好；訓練項目之時數與"
    "對象宜再具體化，以利實核時比對計畫目標與執行成果。",
    "技術新增性尚有疑義，部分項目國內廠商已具備相當能力，建議推動小組會議審議時請外商"
    "說明技術差異及移轉後之應用規劃，乘數宜取標準下限。",
    "計畫目標、查核點與預期效益大致相符，國內合作廠商具執行能力；建議通過，並請工合小組"
    "於執行期間追蹤技術文件交付及人員訓練完成情形。",
]
TITLES = [
    ("{n}型客機零組件技術移轉與國內製造", "Airliner parts technology transfer ({n})"),
    ("{n}雷達次系統國內採購", "Radar subsystem domestic procurement ({n})"),
    ("{n}風力發電機齒輪箱技術移轉", "Wind turbine gearbox technology transfer ({n})"),
    ("{n}模擬機操作維修技轉及訓練", "Simulator maintenance transfer and training ({n})"),
    ("{n}摩擦攪拌焊接機具製造", "Friction stir welding machines ({n})"),
]


def _attachment(kind_label: str, case, agreement, filed_on: date) -> bytes:
    from icp_portal.lib.uploads import text_pdf

    lines = [
        kind_label,
        f"Case {case.number}: {case.title_en}",
        f"Agreement {agreement.number}, {agreement.contractor.name_en}",
        f"Filed on {filed_on.isoformat()}",
        "",
    ]
    lines += [
        f"{n}. Work package {n}: scope, deliverables, schedule and acceptance criteria."
        for n in range(1, 25)
    ]
    return text_pdf(lines, pages=ATTACHMENT_PAGES)


def _dataset_ok() -> dict | None:
    """The bench meeting and its figures when the data set is complete, else None."""
    from cases.choices import DocumentKind
    from cases.models import CaseDocument
    from committee.choices import MeetingKind
    from committee.models import ConflictDeclaration, Meeting

    meeting = Meeting.objects.filter(
        kind=MeetingKind.PROMOTION_COMMITTEE, title=MEETING_TITLE
    ).first()
    if meeting is None or meeting.agenda.count() != CASES:
        return None
    documents = CaseDocument.objects.filter(
        case__agenda_items__meeting=meeting, kind__in=(DocumentKind.APPLICATION, DocumentKind.PLAN)
    )
    if documents.count() != 2 * CASES or not all(
        (MEDIA_ROOT / str(d.file.name)).is_file() for d in documents
    ):
        return None
    conflict = ConflictDeclaration.objects.filter(meeting=meeting).select_related(
        "reviewer__user", "case"
    )
    if conflict.count() != 1:
        return None
    declared = conflict.get()
    return {
        "meeting": meeting.pk,
        "member": declared.reviewer.user_id,
        "withheld": declared.case_id,
    }


def build_dataset() -> dict:
    """The 50 cases on a promotion-committee agenda, through the real services."""
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.utils import timezone

    from agreements import services as agreement_services
    from agreements.choices import Mode, PointsCurrency
    from cases import services as case_services
    from cases.choices import ChecklistResult, DocumentKind, SubcommitteeOutcome
    from committee import services
    from committee.choices import AgendaKind, MeetingKind
    from icp_portal.lib.mail import silenced
    from icp_portal.lib.uploads import blank_pdf
    from organizations.choices import MembershipRole, OrganizationKind, ReviewerKind
    from organizations.models import Membership, Organization, ReviewerProfile, User
    from organizations.services import office_group_sync

    started = time.monotonic()
    today = timezone.localdate()
    blank = blank_pdf()

    def user(username: str, name: str, language: str = "zh-hant") -> User:
        person = User(username=username, name=name, email=f"{username}@example.org")
        person.language = language
        person.set_unusable_password()
        person.save()
        return person

    def org(kind: str, zh: str, en: str, country: str = "TW", **extra) -> Organization:
        return Organization.objects.create(
            kind=kind, name_zh=zh, name_en=en, country=country, **extra
        )

    def reviewer(username: str, name: str, kind: str, **extra) -> ReviewerProfile:
        return ReviewerProfile.objects.create(
            user=user(username, name), kind=kind, affiliation="國立清華大學", **extra
        )

    with transaction.atomic(), silenced():
        group: Group = office_group_sync()
        office = user("bench-office", "王怡君")
        office.groups.add(group)

        contractors = []
        for i, (zh, en) in enumerate(
            [
                ("雷神公司", "Raytheon Company"),
                ("波音公司", "The Boeing Company"),
                ("川崎重工", "Kawasaki Heavy Industries"),
                ("洛克希德馬丁", "Lockheed Martin"),
                ("空中巴士", "Airbus"),
            ]
        ):
            contractor = org(OrganizationKind.FOREIGN_CONTRACTOR, zh, en, "US")
            manager = user(f"bench-contractor-{i}", f"Manager {i}", "en")
            Membership.objects.create(
                user=manager, organization=contractor, role=MembershipRole.MANAGER
            )
            contractors.append((contractor, manager))
        agency = org(OrganizationKind.PROCURING_AGENCY, "國防部軍備局", "Armaments Bureau")
        recipients = [
            org(
                OrganizationKind.DOMESTIC_RECIPIENT,
                zh,
                en,
                profit_making=profit,
                defence_industry=defence,
            )
            for zh, en, profit, defence in [
                ("漢翔航空工業股份有限公司", "AIDC", True, True),
                ("國家中山科學研究院", "NCSIST", False, False),
                ("台灣國際造船股份有限公司", "CSBC", True, True),
                ("工業技術研究院", "ITRI", False, False),
                ("台朔重工股份有限公司", "Formosa Heavy Industries", True, False),
                ("長榮航太科技股份有限公司", "EGAT", True, False),
            ]
        ]

        modes = [Mode.TECHNOLOGY_TRANSFER, Mode.DOMESTIC_PROCUREMENT, Mode.TRAINING]
        signed_on = today - timedelta(days=700)
        agreements = []
        for i, (contractor, _manager) in enumerate(contractors):
            procurement = agreement_services.procurement_create(
                actor=office,
                agency=agency,
                title_zh=f"採購案{i + 1}",
                title_en=f"Procurement {i + 1}",
                contract_value=Decimal("3000000000.00"),
                contract_currency="USD",
                contract_signed_on=signed_on - timedelta(days=90),
            )
            agreement = agreement_services.agreement_create(
                actor=office,
                number=f"ICP-BENCH-{i + 1:03d}",
                procurement=procurement,
                contractor=contractor,
                currency=PointsCurrency.USD_PTS,
                obligation=Decimal("2000000000.00"),
                signed_on=signed_on,
                execution_ends_on=date(today.year + 10, 12, 31),
            )
            for mode, low, high in [
                (Mode.TECHNOLOGY_TRANSFER, "15", "20"),
                (Mode.DOMESTIC_PROCUREMENT, "2", "2"),
                (Mode.TRAINING, "3", "5"),
            ]:
                agreement_services.multiplier_standard_set(
                    agreement=agreement,
                    mode=mode,
                    min_multiplier=Decimal(low),
                    max_multiplier=Decimal(high),
                    effective_from=signed_on,
                    actor=office,
                )
                agreement_services.plan_item_add(
                    agreement=agreement, mode=mode, title=f"{mode} 計畫項目", actor=office
                )
            agreement_services.briefing_record(
                agreement=agreement,
                held_on=signed_on + timedelta(days=30),
                title="招商說明會",
                actor=office,
            )
            agreements.append(agreement)

        experts = [
            reviewer(f"bench-expert-{i}", f"專家委員{i}", ReviewerKind.EXPERT) for i in range(8)
        ]
        others = [
            reviewer(f"bench-scholar-{i}", f"學者委員{i}", ReviewerKind.SCHOLAR) for i in range(2)
        ]
        committee = [
            reviewer(f"bench-member-{i}", name, kind)
            for i, (name, kind) in enumerate(
                [
                    ("陳永華", ReviewerKind.OFFICIAL),
                    ("林淑芬", ReviewerKind.SCHOLAR),
                    ("張志明", ReviewerKind.EXPERT),
                    ("黃美玲", ReviewerKind.RESEARCH),
                    ("李建國", ReviewerKind.ASSOCIATION),
                    ("吳佩珊", ReviewerKind.EXPERT),
                    ("劉俊宏", ReviewerKind.SCHOLAR),
                ]
            )
        ]

        filed_on = today - timedelta(days=120)
        cases = []
        for n in range(CASES):
            contractor, manager = contractors[n % len(contractors)]
            agreement = agreements[n % len(agreements)]
            zh, en = TITLES[n % len(TITLES)]
            activities = [
                {
                    "mode": modes[k],
                    "recipient": recipients[(n + k) % len(recipients)],
                    "value": Decimal(200000 + 37000 * n + 11000 * k).quantize(Decimal("0.01")),
                    "requested_multiplier": Decimal(["18.00", "2.00", "4.00"][k]),
                }
                for k in range(2 + n % 2)
            ]
            case = case_services.case_create(
                agreement=agreement,
                actor=manager,
                filed_on=filed_on,
                activities=activities,
                title_zh=zh.format(n=f"A{n + 1:02d}"),
                title_en=en.format(n=f"A{n + 1:02d}"),
                use=["direct_defence", "indirect_defence", "industry"][n % 3],
                field=["aerospace", "defence", "energy", "rail", "3c"][n % 5],
                starts_on=today + timedelta(days=60),
                ends_on=today + timedelta(days=60 + 730),
                description="依協議書工業合作計畫執行之技術移轉、國內採購及人員訓練。",
            )
            for kind, label in (
                (DocumentKind.APPLICATION, "Application for pre-approval"),
                (DocumentKind.PLAN, "Industrial cooperation plan"),
            ):
                content = _attachment(label, case, agreement, filed_on)
                case_services.document_upload(
                    case=case,
                    kind=kind,
                    upload=SimpleUploadedFile(f"{kind}.pdf", content, "application/pdf"),
                    actor=manager,
                )
            for k, activity in enumerate(case.activities.select_related("recipient"), 1):
                needed = []
                if activity.recipient.profit_making:
                    needed.append(DocumentKind.FEE_COMMITMENT)
                if activity.mode == Mode.TECHNOLOGY_TRANSFER:
                    needed.append(DocumentKind.EXPORT_CONTROL_COMMITMENT)
                for kind in needed:
                    case_services.document_upload(
                        case=case,
                        kind=kind,
                        activity=activity,
                        upload=SimpleUploadedFile(f"{kind}-{k}.pdf", blank, "application/pdf"),
                        actor=manager,
                    )
            case = case_services.case_submit(case=case, actor=manager)
            case = case_services.case_start_checklist(case=case, actor=office)
            for code in ("forms_complete", "chosen_publicly"):
                case_services.checklist_confirm(
                    case=case, code=code, result=ChecklistResult.PASS, actor=office
                )
            case = case_services.case_initial_review(
                case=case, opinion=INITIAL_REVIEW, actor=office
            )
            cases.append(case)
            if (n + 1) % 10 == 0:
                _log(f"  filed {n + 1}/{CASES} cases")

        for s, start in enumerate(range(0, CASES, CASES_PER_SUBCOMMITTEE)):
            group_cases = cases[start : start + CASES_PER_SUBCOMMITTEE]
            panel = [*experts[s % 4 : s % 4 + 4], others[s % 2]]  # 5 seats, 4 experts
            meeting = services.meeting_create(
                kind=MeetingKind.SUBCOMMITTEE,
                year=today.year,
                number=s + 1,
                held_on=today - timedelta(days=40 - s),
                title=f"產業分組委員會第{s + 1}次會議",
                members=panel,
                actor=office,
            )
            for case in group_cases:
                services.agenda_add(
                    meeting=meeting, case=case, kind=AgendaKind.CASE_REVIEW, actor=office
                )
            for j, case in enumerate(group_cases):
                outcome = SubcommitteeOutcome.FORWARD if j % 4 == 3 else SubcommitteeOutcome.PASS
                for seat, profile in enumerate(panel[: 3 + (start + j) % 3]):  # 3–5 opinions
                    text = OPINIONS[(seat + j) % len(OPINIONS)].format(field=case.field)
                    services.opinion_file(
                        meeting=meeting,
                        case=case,
                        opinion=text,
                        recommendation=outcome,
                        actor=profile.user,
                    )
                case_services.case_subcommittee_review(
                    case=case, outcome=outcome, note="通過審查。", actor=office
                )
            services.meeting_mark_held(meeting=meeting, actor=office)

        promotion = services.meeting_create(
            kind=MeetingKind.PROMOTION_COMMITTEE,
            year=today.year,
            number=1,
            held_on=today + timedelta(days=7),
            title=MEETING_TITLE,
            members=committee,
            actor=office,
        )
        for case in cases:
            services.agenda_add(
                meeting=promotion, case=case, kind=AgendaKind.PRE_APPROVAL, actor=office
            )
        member, withheld = committee[2], cases[6]
        services.conflict_declare(
            meeting=promotion,
            case=withheld,
            reason="曾任該案國內合作廠商之技術顧問",
            actor=member.user,
        )
    _log(f"  data set built in {time.monotonic() - started:.1f} s")
    ok = _dataset_ok()
    assert ok is not None, "the data set is incomplete after building it"
    return ok


def queue_packet(meeting_id: int) -> int:
    """A queued packet version (``services.packet_build``), its task not sent: the child
    process runs the job."""
    from unittest import mock

    from committee import services
    from committee.models import Meeting
    from organizations.models import User

    office = User.objects.get(username="bench-office")
    with mock.patch.object(services, "enqueue_on_commit", lambda *args: None):
        packet = services.packet_build(meeting=Meeting.objects.get(pk=meeting_id), actor=office)
    return packet.pk


def finalize_packet(packet_id: int) -> None:
    """Make the built version final; the members' copies are left unbuilt (the copy is
    measured in its own child, not rendered here by an eager task)."""
    from committee import services
    from committee.models import Packet
    from icp_portal.lib.mail import silenced
    from organizations.models import User

    office = User.objects.get(username="bench-office")
    with silenced():
        services.packet_finalize(
            packet=Packet.objects.get(pk=packet_id), actor=office, copies=False
        )


# --- The measured jobs (in a child process) --------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _maxrss_mb() -> float:
    """This process's peak RSS (VmHWM: the high-water mark of its own address space; the
    ``ru_maxrss`` of a process started by a larger one also counts its parent's peak at
    the exec, Linux's exec_mmap)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Probe:
    """Wall and CPU time (with the current and peak RSS) at the build's progress values
    and around the functions it calls, patched in by attribute on their modules. CPU time
    stays comparable when other work shares the machine; wall time does not."""

    def __init__(self) -> None:
        self.t0, self.c0 = time.perf_counter(), time.process_time()
        self.marks: dict[str, tuple[float, float, float, float]] = {}
        self.queries = 0

    def mark(self, label: str) -> None:
        self.marks.setdefault(
            label,
            (
                time.perf_counter() - self.t0,
                time.process_time() - self.c0,
                _rss_mb(),
                _maxrss_mb(),
            ),
        )

    def progress(self, value: int) -> None:
        # 5–45 go by section (the contents, timed around packet_contents itself).
        if value in (50, 75, 85, 95):
            self.mark(f"progress {value}")

    def wrap(self, module, name: str) -> None:
        original = getattr(module, name)

        def timed(*args, **kwargs):
            self.mark(f"{name} start")
            try:
                return original(*args, **kwargs)
            finally:
                self.mark(f"{name} end")

        setattr(module, name, timed)

    def at(self, label: str) -> float:
        return self.marks[label][0]

    def cpu_at(self, label: str) -> float:
        return self.marks[label][1]

    def peak_at(self, label: str) -> float:
        return self.marks[label][3]

    def count_queries(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


def _stages(probe: Probe, spans: list[tuple[str, str, str]]) -> list[dict]:
    """Wall and CPU seconds and the peak RSS (at the stage's end) between named marks."""
    return [
        {
            "stage": label,
            "seconds": round(probe.at(end) - probe.at(start), 3),
            "cpu_seconds": round(probe.cpu_at(end) - probe.cpu_at(start), 3),
            "peak_mb_after": round(probe.peak_at(end), 1),
        }
        for label, start, end in spans
        if start in probe.marks and end in probe.marks
    ]


BUILD_STAGES = [
    ("claim", "job start", "packet_source_hash start"),
    ("source digest", "packet_source_hash start", "packet_source_hash end"),
    ("contents selection (queries)", "packet_contents start", "packet_contents end"),
    ("open attachments (pypdf read)", "_open_attachments start", "_open_attachments end"),
    ("template render (HTML)", "render_to_string start", "render_to_string end"),
    ("WeasyPrint render (layout)", "progress 50", "progress 75"),
    ("write_pdf", "progress 75", "progress 85"),
    ("merge attachments (pypdf)", "progress 85", "progress 95"),
    ("store file + row", "packet_store start", "packet_store end"),
]
MEMBER_STAGES = [
    ("withheld + contents selection", "packet_pdf start", "packet_contents end"),
    ("open attachments (pypdf read)", "_open_attachments start", "_open_attachments end"),
    ("template render (HTML)", "render_to_string start", "render_to_string end"),
    ("WeasyPrint render (layout)", "progress 50", "progress 75"),
    ("write_pdf", "progress 75", "progress 85"),
    ("merge attachments (pypdf)", "progress 85", "progress 95"),
]


# Changes to try patched into the child only. The two tried first (attached pages as
# form XObjects, fixed-width margin boxes) are now committee/pdf.py and the template.
VARIANTS: dict[str, Callable[[], None]] = {"baseline": lambda: None}


def _prepare_child(variant: str) -> dict:
    started = time.perf_counter()
    _setup_django()
    import pypdf  # noqa: F401
    import weasyprint  # noqa: F401

    from committee import pdf, selectors, services, tasks  # noqa: F401

    VARIANTS[variant]()
    return {"import_seconds": round(time.perf_counter() - started, 3), "baseline_mb": _maxrss_mb()}


def child_build(packet_id: int, variant: str) -> dict:
    info = _prepare_child(variant)
    from django.db import connection

    from committee import pdf, selectors, services, tasks
    from committee.models import Packet

    probe = Probe()
    for module, name in [
        (selectors, "packet_source_hash"),
        (selectors, "packet_contents"),
        (pdf, "_open_attachments"),
        (pdf, "render_to_string"),
        (services, "packet_store"),
    ]:
        probe.wrap(module, name)
    record = services.packet_progress

    def progress(*, packet_id: int, progress: int) -> None:
        record(packet_id=packet_id, progress=progress)
        probe.progress(progress)

    setattr(services, "packet_progress", progress)  # noqa: B010
    probe.mark("job start")
    with connection.execute_wrapper(probe.count_queries):
        result = tasks.run_build(packet_id)
    probe.mark("job end")
    seconds, cpu_seconds = probe.at("job end"), probe.cpu_at("job end")
    packet = Packet.objects.get(pk=packet_id)
    if result != "done":
        raise SystemExit(f"build {result}: {packet.error}")
    return {
        **info,
        "variant": variant,
        "seconds": round(seconds, 3),
        "job_cpu_seconds": round(cpu_seconds, 3),
        "peak_mb_self": round(probe.peak_at("job end"), 1),
        "pages": packet.pages,
        "size_mb": round((packet.size_bytes or 0) / 2**20, 2),
        "size_bytes": packet.size_bytes,
        "queries": probe.queries,
        "stages": _stages(probe, BUILD_STAGES),
        "file": str(MEDIA_ROOT / str(packet.file.name)),
    }


def child_member(meeting_id: int, user_id: int, variant: str) -> dict:
    info = _prepare_child(variant)
    from django.db import connection

    from committee import pdf, selectors
    from committee.models import Meeting
    from organizations.models import User

    probe = Probe()
    for module, name in [
        (selectors, "packet_contents"),
        (pdf, "_open_attachments"),
        (pdf, "render_to_string"),
    ]:
        probe.wrap(module, name)
    meeting = Meeting.objects.get(pk=meeting_id)
    member = User.objects.get(pk=user_id)
    packet = meeting.packets.filter(stage="final").order_by("-version").first()
    probe.mark("job start")
    # What the copy task renders when the packet is finalized (a download then serves the
    # stored file).
    with connection.execute_wrapper(probe.count_queries):
        probe.mark("packet_pdf start")
        content, _pages = pdf.render_packet(
            meeting=meeting, reader=member, on_progress=probe.progress
        )
    probe.mark("job end")
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(content))
    first_page = reader.pages[0].extract_text() or ""
    return {
        **info,
        "variant": variant,
        "seconds": round(probe.at("job end"), 3),
        "job_cpu_seconds": round(probe.cpu_at("job end"), 3),
        "peak_mb_self": round(probe.peak_at("job end"), 1),
        "pages": len(reader.pages),
        "size_mb": round(len(content) / 2**20, 2),
        "queries": probe.queries,
        "packet_version": packet.version,
        "watermark_on_cover": member.display_name in first_page,
        "stages": _stages(probe, MEMBER_STAGES),
    }


def _attachment_check(path: str, sample: int = 80) -> int:
    """How many of the first ``sample`` pages show an attached page's text (merged)."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    return sum(
        1
        for page in reader.pages[:sample]
        if f" of {ATTACHMENT_PAGES}" in (page.extract_text() or "")
    )


def _run_child(args: list[str]) -> dict:
    """Run ``python -m bench.packet --child …`` in a fresh process; returns its figures,
    its peak RSS, CPU time (``wait4``) and process wall time (start-up included)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.packet", "--out", path, *args],
        cwd=ROOT,
        env=_environment(),
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    try:
        if child.returncode != 0:
            raise SystemExit(f"child {args} exited with {child.returncode}")
        result = json.loads(Path(path).read_text())
    finally:
        Path(path).unlink(missing_ok=True)
    result.update(
        # The child's own high-water mark; wait4's ru_maxrss (kept for reference) is at
        # least this process's RSS at the child's exec.
        peak_mb=round(result["peak_mb_self"], 1),
        peak_mb_wait4=round(usage.ru_maxrss / 1024, 1),
        process_seconds=round(wall, 3),
        process_cpu_seconds=round(usage.ru_utime + usage.ru_stime, 3),
    )
    return result


def _stage_seconds(runs: list[dict], stage: str, key: str = "seconds") -> list[float]:
    return [row[key] for run in runs for row in run["stages"] if row["stage"] == stage]


def _summary(runs: list[dict]) -> dict:
    times = [r["seconds"] for r in runs]
    return {
        "seconds_median": round(statistics.median(times), 3),
        "seconds_min": min(times),
        "seconds_max": max(times),
        "cpu_seconds_median": round(statistics.median(r["job_cpu_seconds"] for r in runs), 3),
        "peak_mb_max": max(r["peak_mb"] for r in runs),
        "pages": runs[0]["pages"],
        "size_mb": runs[0]["size_mb"],
        "stages_median": [
            {
                "stage": row["stage"],
                "seconds": round(statistics.median(_stage_seconds(runs, row["stage"])), 3),
                "cpu_seconds": round(
                    statistics.median(_stage_seconds(runs, row["stage"], "cpu_seconds")), 3
                ),
                "peak_mb_after": row["peak_mb_after"],
            }
            for row in runs[0]["stages"]
        ],
        "runs": runs,
    }


def _table(report: dict) -> str:
    lines = []
    build, member = report["build"], report["member_copy"]
    first = build["runs"][0]
    lines.append(
        f"packet of {report['cases']} cases, 2 × {ATTACHMENT_PAGES}-page attachments each "
        f"({os.cpu_count()} CPUs)"
    )
    lines.append(f"{'job':<14}{'wall s':>9}{'peak MB':>9}{'pages':>7}{'size MB':>9}{'cpu s':>8}")
    for name, summary in (("build", build), ("member copy", member)):
        lines.append(
            f"{name:<14}{summary['seconds_median']:>9.2f}{summary['peak_mb_max']:>9.0f}"
            f"{summary['pages']:>7}{summary['size_mb']:>9.2f}{summary['cpu_seconds_median']:>8.1f}"
        )
    lines.append(
        f"(median of {len(build['runs'])}; wall min {build['seconds_min']:.2f} s; load average "
        f"{report['load_average_1m']['start']} → {report['load_average_1m']['end']})"
    )
    lines.append(
        f"goal: build < {GOAL_SECONDS:.0f} s and < {GOAL_MB:.0f} MB → "
        f"time {'met' if report['goal']['time_met'] else 'NOT met'}, "
        f"memory {'met' if report['goal']['memory_met'] else 'NOT met'}"
    )
    lines.append(f"(baseline RSS after imports: {first['baseline_mb']:.0f} MB)")
    for title, stages in (
        ("build stages (median)", build["stages_median"]),
        ("member copy stages (median)", member["stages_median"]),
    ):
        lines.append(f"{title:<34}{'wall s':>8}{'cpu s':>8}{'peak MB':>9}")
        for row in stages:
            lines.append(
                f"  {row['stage']:<32}{row['seconds']:>8.2f}{row['cpu_seconds']:>8.2f}"
                f"{row['peak_mb_after']:>9.0f}"
            )
    variants = report.get("variants", [])
    if variants:
        lines.append(
            f"{'build variant (median)':<22}{'wall s':>7}{'cpu s':>7}{'layout':>7}{'merge':>7}"
            f"{'peak MB':>8}{'size MB':>8}"
        )
    for summary in [{"variant": "baseline", **build}, *variants] if variants else []:
        cpu = {row["stage"]: row["cpu_seconds"] for row in summary["stages_median"]}
        lines.append(
            f"  {summary['variant']:<20}{summary['seconds_median']:>7.2f}"
            f"{summary['cpu_seconds_median']:>7.2f}"
            f"{cpu.get('WeasyPrint render (layout)', 0):>7.2f}"
            f"{cpu.get('merge attachments (pypdf)', 0):>7.2f}"
            f"{summary['peak_mb_max']:>8.0f}{summary['size_mb']:>8.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the data set")
    parser.add_argument("--repeat", type=int, default=1, help="builds and copies to time")
    parser.add_argument("--variant", action="append", default=[], choices=sorted(VARIANTS))
    parser.add_argument("--json", action="store_true", help="print the JSON only")
    parser.add_argument("--child", choices=["build", "member"], help=argparse.SUPPRESS)
    parser.add_argument("--packet", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--meeting", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--user", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--child-variant", default="baseline", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        if args.child == "build":
            result = child_build(args.packet, args.child_variant)
        else:
            result = child_member(args.meeting, args.user, args.child_variant)
        Path(args.out).write_text(json.dumps(result))
        return

    _create_database(fresh=args.fresh)
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    data = _dataset_ok()
    if data is None:
        from committee.models import Meeting

        if Meeting.objects.exists():
            _log("the bench database holds an incomplete data set: rebuilding it")
            from django.db import connections

            connections.close_all()
            _create_database(fresh=True)
            call_command("migrate", verbosity=0)
        _log(f"building the data set ({CASES} cases) in {_database_url()}")
        data = build_dataset()
    else:
        _log("reusing the data set (pass --fresh to rebuild)")

    load_start = round(os.getloadavg()[0], 2)
    builds, copies = [], []
    for n in range(args.repeat):
        packet_id = queue_packet(data["meeting"])
        _log(f"build {n + 1}/{args.repeat} (packet {packet_id})")
        builds.append(_run_child(["--child", "build", "--packet", str(packet_id)]))
    merged = _attachment_check(builds[-1]["file"])
    finalize_packet(packet_id)
    for n in range(args.repeat):
        _log(f"member copy {n + 1}/{args.repeat}")
        copies.append(
            _run_child(
                [
                    *("--child", "member", "--meeting", str(data["meeting"])),
                    *("--user", str(data["member"])),
                ]
            )
        )
    variants = []
    for variant in args.variant:
        runs = []
        for n in range(args.repeat):
            packet_id = queue_packet(data["meeting"])
            _log(f"variant {variant} {n + 1}/{args.repeat}")
            runs.append(
                _run_child(
                    ["--child", "build", "--packet", str(packet_id), "--child-variant", variant]
                )
            )
        variants.append({"variant": variant, **_summary(runs)})
    build = _summary(builds)
    report = {
        # Wall times are only comparable on an idle machine: see the load and the CPU time.
        "load_average_1m": {"start": load_start, "end": round(os.getloadavg()[0], 2)},
        "cases": CASES,
        "attachments_per_case": 2,
        "attachment_pages": ATTACHMENT_PAGES,
        "cpus": os.cpu_count(),
        "database": _database_url(),
        "build": build,
        "member_copy": _summary(copies),
        "attached_pages_seen_in_first_80": merged,
        "withheld_pages": builds[0]["pages"] - copies[0]["pages"],
        "goal": {
            "seconds": GOAL_SECONDS,
            "mb": GOAL_MB,
            "time_met": build["seconds_median"] < GOAL_SECONDS,
            "job_cpu_seconds_median": build["cpu_seconds_median"],
            "memory_met": build["peak_mb_max"] < GOAL_MB,
        },
        "variants": variants,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if not args.json:
        print(_table(report), file=sys.stderr)


if __name__ == "__main__":
    main()
