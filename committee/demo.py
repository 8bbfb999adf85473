"""Demo data: the 2011 program year replayed through the real services.

The four promotion-committee meetings of 2011 (domain.md §4, final report 4(2)) with cases
whose decisions add up exactly to each meeting's published totals, plus the two 2010
meetings that pre-approved the cases 2011 actually approved, extended, closed or withdrew.
Every step is a service call made by the person who makes it in the portal: the
contractor's member files the case with its PDFs and submits it, the office runs the
checklist and writes the initial review, a sub-committee of 5–7 reviewers (experts more
than half) files opinions and the office records the outcome, the office builds the
committee's agenda and records the decisions, and approving the minutes moves the ledger.
Between meetings the contractors file their quarterly progress reports and, with the
completion evidence, request actual approval.

Real cases of the final report where it names them: 「MRJ客機零組件」技術移轉與國內採購
(漢翔), 「2MW風力發電機齒輪箱」技術移轉 (台朔重工), 「737/747客機壓力艙門暨737客機主起落架
艙門」國內採購 (漢翔), 「歐洲民航法規(EASA)維修/稽核/檢驗及實作鑑定人員訓練」, and the
2011 sub-committees' cases (台電風力發電機組運轉維護保養, 模擬機操作/維修技轉及訓練,
應用動力學套件…NC程式開發, 生技醫藥國際合作菁英人才培訓, 摩擦攪拌焊接機具製造, 先進加工技術).
Values and multipliers are invented so that the totals are the published ones.

Only contractors with a demo member (Raytheon, Boeing, Kawasaki) can submit a case and
request actual approval (the workflow leaves both to the contractor), so every replayed
case runs under one of their agreements; the MRJ and gearbox cases, which the report ties
to 三菱商事 and 豐田通商, run under Kawasaki's agreement ICP-2004-010.

Idempotent: when the replay's meetings exist, nothing is written.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Sum

from agreements.choices import CaseUse, EntryKind, Mode
from agreements.models import Agreement, CreditEntry, PlanItem
from cases import notifications
from cases import services as case_services
from cases.choices import CaseStatus, ChecklistResult, DocumentKind, SubcommitteeOutcome
from cases.models import Case
from committee import services
from committee.choices import AgendaKind, MeetingKind, Outcome
from committee.models import Meeting
from feedback.demo import settle_2011_bills
from organizations.choices import Field, Language, MembershipRole, OrganizationKind
from organizations.models import Membership, Organization, ReviewerProfile, User
from organizations.services import system_user

D = Decimal
TT, DP, TR, INV = (
    Mode.TECHNOLOGY_TRANSFER,
    Mode.DOMESTIC_PROCUREMENT,
    Mode.TRAINING,
    Mode.DOMESTIC_INVESTMENT,
)
DD, ID, IN = CaseUse.DIRECT_DEFENCE, CaseUse.INDIRECT_DEFENCE, CaseUse.INDUSTRY
PASS, FORWARD = SubcommitteeOutcome.PASS, SubcommitteeOutcome.FORWARD

# A tiny but real PDF: the upload service checks the bytes, not the name.
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Recipients (國內承接單位) by their Chinese name.
AIDC = "漢翔航空工業股份有限公司"
FHI = "台朔重工股份有限公司"
AIR_ASIA = "亞洲航空股份有限公司"
TAIPOWER = "台灣電力股份有限公司"
TRSC = "台灣車輛股份有限公司"
CTCI = "中鼎工程股份有限公司"
ZHONGHUA = "中華機械股份有限公司"
YONGRI = "永日公司"
JINGTONG = "景同公司"
GETAC = "神基科技股份有限公司"
PIHSIANG = "必翔實業股份有限公司"
HUAQING = "華擎機械工業股份有限公司"
MINGXIE = "明燮企業有限公司"
BINGJIE = "竝傑科技股份有限公司"
NCSIST = "國防部中山科學研究院"
ITRI = "財團法人工業技術研究院"
NCKU = "國立成功大學"
AF_LOGISTICS = "空軍第一後勤指揮部"
ARSENAL_202 = "國防部軍備局生產製造中心第二〇二廠"

# Sub-committee panels (5–7 reviewers, experts more than half), by demo username.
AERO = [
    "reviewer",
    "expert-wu",
    "expert-huang",
    "expert-kuo",
    "assoc-taia",
    "official-ida",
    "research-ncsist",
]
DEFENCE = ["reviewer", "expert-wu", "expert-huang", "scholar-yang", "research-ncsist"]
ENERGY = ["expert-kuo", "reviewer", "expert-tsai", "official-ida", "research-itri"]
RAIL = ["expert-tsai", "expert-kuo", "expert-wu", "official-ida", "research-mirdc"]
MIXED = [
    "reviewer",
    "expert-wu",
    "expert-huang",
    "expert-tsai",
    "official-doit",
    "scholar-lin",
    "research-mirdc",
]
BIOTECH = ["expert-huang", "reviewer", "expert-kuo", "scholar-lin", "official-doit"]


@dataclass(frozen=True)
class Act:
    """An activity: mode, recipient, value × multiplier; ``actual`` when the actual
    credits differ from the pre-approved ones."""

    mode: str
    recipient: str
    value: str
    multiplier: str = "1.00"
    actual: str | None = None


@dataclass(frozen=True)
class CaseSpec:
    agreement: str
    title_zh: str
    title_en: str
    use: str
    field: str
    starts: date
    ends: date
    activities: tuple[Act, ...]
    plan: str | None = None  # the planned item (工業合作計畫書) by title, when named
    description: str = ""


def _case(agreement, titles, use, field_, starts, ends, *activities, plan=None, description=""):
    return CaseSpec(
        agreement, *titles, use, field_, starts, ends, tuple(activities), plan, description
    )


CASES: dict[str, CaseSpec] = {
    # ---- pre-approved at the 2010 3rd meeting ---------------------------------------
    "C381": _case(
        "ICP-2008-009",
        ("C381型電聯車車體及轉向架國內製造", "C381 EMU car bodies and bogies made in Taiwan"),
        IN,
        Field.RAIL,
        date(2010, 9, 1),
        date(2012, 12, 31),
        Act(DP, TRSC, "99581209.50", "2.00"),
        plan="電聯車車體及轉向架國內製造",
        description="信義線及松山線C381型電聯車車體及轉向架由台灣車輛公司在臺製造。",
    ),
    "MRJ": _case(
        "ICP-2004-010",
        (
            "MRJ客機零組件技術移轉與國內採購",
            "MRJ regional jet parts: technology transfer and domestic procurement",
        ),
        IN,
        Field.AEROSPACE,
        date(2010, 9, 1),
        date(2011, 3, 31),
        Act(TT, AIDC, "1600000.00", "15.00"),
        Act(DP, AIDC, "30000000.00", "2.00"),
        plan="航太複材結構件製造技術移轉",
        description=(
            "漢翔航空與三菱飛機公司共同開發MRJ70/90兩型區間客機之前緣縫翼、襟翼、機腹整流罩、"
            "垂直尾翼方向舵與水平尾翼升降舵等金屬與複材件，成為三菱飛機公司Tier 1單一商源；"
            "三菱飛機公司派遣技術人員完成人員訓練240人次，三菱重工提供新台幣9億9,780萬元訂單。"
        ),
    ),
    "GEARBOX": _case(
        "ICP-2004-010",
        ("2MW風力發電機齒輪箱技術移轉", "2 MW wind-turbine gearbox technology transfer"),
        IN,
        Field.ENERGY,
        date(2010, 9, 1),
        date(2011, 8, 31),
        Act(TT, FHI, "1300000.00", "18.00"),
        plan="大型風力發電機齒輪箱設計技術移轉",
        description=(
            "台朔重工引進英國Romax公司風力發電增速齒輪箱設計技術（2MW風機），並建立齒輪箱"
            "測試資料蒐集系統；台朔重工已投資新台幣2億3,000萬元，每年創造新台幣4億元產值。"
        ),
    ),
    "AMRT_TRAINING": _case(
        "ICP-2006-003",
        ("機場捷運電聯車維修人員訓練", "Airport MRT EMU maintenance staff training"),
        IN,
        Field.RAIL,
        date(2010, 9, 1),
        date(2010, 11, 30),
        Act(TR, TRSC, "2350000.00"),
        plan="軌道車輛維修人員訓練",
    ),
    "AMRT_SIGNALS": _case(
        "ICP-2006-003",
        ("機場捷運號誌系統零組件國內採購", "Airport MRT signalling components procured in Taiwan"),
        IN,
        Field.RAIL,
        date(2010, 9, 1),
        date(2011, 12, 31),
        Act(DP, GETAC, "2000000.00", "2.00"),
        plan="電聯車零組件國內採購",
    ),
    "HAWK": _case(
        "ICP-2003-009",
        (
            "鷹式飛彈地面支援裝備零組件國內採購",
            "HAWK ground support equipment parts procured in Taiwan",
        ),
        ID,
        Field.DEFENCE,
        date(2010, 9, 1),
        date(2011, 2, 28),
        Act(DP, ZHONGHUA, "14000000.00", "2.00", actual="29872762.00"),
        plan="飛彈系統零組件國內採購",
    ),
    "APACHE_CREW": _case(
        "ICP-2008-011",
        (
            "AH-64E直升機地勤維修人員訓練（第一期）",
            "AH-64E ground-crew maintenance training, phase 1",
        ),
        ID,
        Field.DEFENCE,
        date(2010, 9, 1),
        date(2010, 11, 30),
        Act(TR, AIR_ASIA, "1000000.00"),
        plan="直升機維修人員訓練",
    ),
    "DOORS": _case(
        "ICP-2008-011",
        (
            "737/747客機壓力艙門暨737客機主起落架艙門國內採購",
            "737/747 pressure doors and 737 main landing-gear doors procured in Taiwan",
        ),
        IN,
        Field.AEROSPACE,
        date(2010, 9, 1),
        date(2011, 6, 30),
        Act(DP, AIDC, "85000000.00", "2.00"),
        description=(
            "組件製造所需原物料採購與製造、組裝品質之管控由漢翔公司辦理，帶動國內航太供應商"
            "體系及漢翔先進複材中心(TACC)業務；促成波音公司來台直接採購新台幣25億5,000萬元。"
        ),
    ),
    # ---- pre-approved at the 2010 4th meeting ---------------------------------------
    "AMRT_BOGIES": _case(
        "ICP-2006-003",
        (
            "機場捷運電聯車轉向架零組件國內採購",
            "Airport MRT EMU bogie components procured in Taiwan",
        ),
        IN,
        Field.RAIL,
        date(2011, 1, 1),
        date(2011, 2, 28),
        Act(DP, TRSC, "1500000.00", "2.00"),
        plan="電聯車零組件國內採購",
    ),
    "TRACTION": _case(
        "ICP-2006-003",
        ("電聯車牽引馬達零組件國內採購", "EMU traction-motor components procured in Taiwan"),
        IN,
        Field.RAIL,
        date(2011, 1, 1),
        date(2011, 9, 30),
        Act(DP, HUAQING, "4000000.00", "2.00"),
        plan="電聯車零組件國內採購",
    ),
    "AMRT_EM": _case(
        "ICP-2006-003",
        ("機場捷運機電維修能量建立", "Airport MRT E&M maintenance capability"),
        IN,
        Field.RAIL,
        date(2011, 1, 1),
        date(2011, 5, 31),
        Act(DP, CTCI, "5000000.00", "2.00"),
        Act(TR, CTCI, "2227864.00"),
    ),
    "EMU_DOORS": _case(
        "ICP-2006-003",
        ("電聯車車門系統國內採購", "EMU door systems procured in Taiwan"),
        IN,
        Field.RAIL,
        date(2011, 1, 1),
        date(2011, 9, 30),
        Act(DP, YONGRI, "10000000.00", "2.00"),
        plan="電聯車零組件國內採購",
    ),
    "WAVEGUIDE": _case(
        "ICP-2009-004",
        (
            "雷達波導元件精密加工技術移轉",
            "Precision machining of radar waveguide components: technology transfer",
        ),
        ID,
        Field.DEFENCE,
        date(2011, 1, 1),
        date(2011, 2, 28),
        Act(TT, BINGJIE, "100000.00", "15.00"),
    ),
    "PATRIOT_DEPOT": _case(
        "ICP-2009-004",
        (
            "愛國者飛彈系統維修能量建立技術移轉",
            "Patriot system depot-maintenance capability: technology transfer",
        ),
        DD,
        Field.DEFENCE,
        date(2011, 1, 1),
        date(2011, 3, 31),
        Act(TT, ARSENAL_202, "3000000.00", "16.00"),
    ),
    "PATRIOT_FIRE_CONTROL": _case(
        "ICP-2009-004",
        (
            "愛國者射控電子模組維修技術移轉",
            "Patriot fire-control electronics repair: technology transfer",
        ),
        DD,
        Field.DEFENCE,
        date(2011, 1, 1),
        date(2011, 5, 31),
        Act(TT, NCSIST, "1000000.00", "16.00"),
    ),
    "THERMAL": _case(
        "ICP-2009-004",
        ("強固型熱影像模組技術移轉", "Rugged thermal-imaging modules: technology transfer"),
        ID,
        Field.DEFENCE,
        date(2011, 1, 1),
        date(2011, 5, 31),
        Act(TT, GETAC, "600000.00", "15.00"),
    ),
    "RUGGED_CENTRE": _case(
        "ICP-2009-004",
        ("強固型電腦維修中心國內投資", "Investment in a rugged-computer repair centre in Taiwan"),
        ID,
        Field.DEFENCE,
        date(2011, 1, 1),
        date(2011, 9, 30),
        Act(INV, GETAC, "20000000.00"),
    ),
    "RADAR_MODULES": _case(
        "ICP-2009-004",
        (
            "固態雷達發射模組製造技術移轉",
            "Solid-state radar transmit modules: technology transfer",
        ),
        ID,
        Field.DEFENCE,
        date(2011, 1, 1),
        date(2011, 12, 31),
        Act(TT, AIDC, "1000000.00", "15.00"),
    ),
    "UAV_PAYLOAD": _case(
        "ICP-2009-004",
        ("無人飛行載具感測酬載技術移轉", "UAV sensor payload technology transfer"),
        DD,
        Field.DEFENCE,
        date(2011, 1, 1),
        date(2012, 6, 30),
        Act(TT, NCSIST, "800000.00", "15.00"),
    ),
    "FASTENERS": _case(
        "ICP-2008-011",
        (
            "航太扣件供應商認證暨精簡製造技術協助",
            "Aerospace fastener supplier certification and lean manufacturing",
        ),
        IN,
        Field.AEROSPACE,
        date(2011, 1, 1),
        date(2011, 6, 30),
        Act(TT, JINGTONG, "1500000.00", "15.00"),
        plan="航太扣件供應商認證與精簡製造技術",
    ),
    "COMPOSITE_REPAIR": _case(
        "ICP-2008-011",
        ("直升機複材結構修補人員訓練", "Helicopter composite structure repair training"),
        ID,
        Field.DEFENCE,
        date(2011, 1, 1),
        date(2011, 2, 28),
        Act(TR, AIR_ASIA, "2000000.00"),
        plan="直升機維修人員訓練",
    ),
    "AS9100": _case(
        "ICP-2008-011",
        ("航太品保人員AS9100訓練", "AS9100 aerospace quality-assurance training"),
        IN,
        Field.AEROSPACE,
        date(2011, 1, 1),
        date(2011, 2, 28),
        Act(TR, NCKU, "1500000.00"),
    ),
    "ROTOR_BLADES": _case(
        "ICP-2008-011",
        (
            "直升機複材旋翼葉片修護技術移轉",
            "Helicopter composite rotor-blade repair: technology transfer",
        ),
        ID,
        Field.DEFENCE,
        date(2011, 1, 1),
        date(2011, 3, 31),
        Act(TT, AIDC, "2000000.00", "15.00"),
    ),
    "STRUCTURES": _case(
        "ICP-2008-011",
        ("飛機結構修護人員訓練", "Aircraft structural repair training"),
        DD,
        Field.DEFENCE,
        date(2011, 1, 1),
        date(2011, 7, 31),
        Act(TR, AF_LOGISTICS, "4926904.00"),
    ),
    "APACHE_ENGINES": _case(
        "ICP-2008-011",
        ("AH-64E直升機發動機維修人員訓練", "AH-64E engine maintenance training"),
        ID,
        Field.DEFENCE,
        date(2011, 1, 1),
        date(2011, 9, 30),
        Act(TR, AIR_ASIA, "7516537.00"),
        plan="直升機維修人員訓練",
    ),
    "AVIONICS": _case(
        "ICP-2008-011",
        (
            "直升機航電系統維修能量建立技術移轉",
            "Helicopter avionics repair capability: technology transfer",
        ),
        ID,
        Field.DEFENCE,
        date(2011, 1, 1),
        date(2011, 9, 30),
        Act(TT, AIDC, "1000000.00", "15.00"),
    ),
    # ---- pre-approval decisions of 2011 ---------------------------------------------
    "WIND_OM": _case(
        "ICP-2004-010",
        (
            "台電風力發電機組運轉維護保養技術移轉及訓練",
            "Taipower wind-turbine operation and maintenance: technology transfer and training",
        ),
        IN,
        Field.ENERGY,
        date(2011, 4, 1),
        date(2013, 3, 31),
        Act(TT, TAIPOWER, "820000.00", "15.00"),
        Act(TR, TAIPOWER, "1226856.00"),
        plan="風力發電機組運轉維護人員訓練",
    ),
    "FUEL_CELL": _case(
        "ICP-2009-004",
        ("燃料電池發電機技術移轉", "Fuel-cell generator technology transfer"),
        IN,
        Field.ENERGY,
        date(2011, 4, 1),
        date(2012, 12, 31),
        Act(TT, ITRI, "480000.00", "15.00"),
        plan="燃料電池發電機技術移轉",
    ),
    "APACHE_PHASE2": _case(
        "ICP-2008-011",
        ("AH-64E直升機維修人員訓練（第二期）", "AH-64E maintenance training, phase 2"),
        ID,
        Field.DEFENCE,
        date(2011, 4, 1),
        date(2012, 3, 31),
        Act(TR, AIR_ASIA, "6000000.00"),
        plan="直升機維修人員訓練",
    ),
    "AMRT_SEATS": _case(
        "ICP-2006-003",
        (
            "機場捷運電聯車座椅及內裝國內採購",
            "Airport MRT EMU seats and interiors procured in Taiwan",
        ),
        IN,
        Field.RAIL,
        date(2011, 4, 1),
        date(2011, 12, 31),
        Act(DP, TRSC, "1800000.00", "2.00"),
        plan="電聯車零組件國內採購",
    ),
    "EASA": _case(
        "ICP-2008-011",
        (
            "歐洲民航法規(EASA)維修/稽核/檢驗及實作鑑定人員訓練",
            "EASA maintenance, audit, inspection and practical-assessment staff training",
        ),
        IN,
        Field.AEROSPACE,
        date(2011, 7, 1),
        date(2013, 6, 30),
        Act(TR, AIDC, "30000000.00"),
        Act(TR, AIR_ASIA, "39884223.00"),
        description=(
            "執行完成後，提供我航空業者每年至少新台幣10億8,000萬元直接維修收益，並節省兩岸及"
            "東南亞通航外站簽證放行費用每年新台幣4億8,000萬元。"
        ),
    ),
    "SIMULATOR": _case(
        "ICP-2008-011",
        (
            "模擬機操作/維修技轉及訓練案",
            "Flight simulator operation and maintenance: technology transfer and training",
        ),
        ID,
        Field.DEFENCE,
        date(2011, 10, 1),
        date(2014, 9, 30),
        Act(TT, AIR_ASIA, "4000000.00", "16.00"),
        Act(TR, AIR_ASIA, "9250000.00"),
    ),
    "NC_DYNAMICS": _case(
        "ICP-2008-011",
        (
            "應用動力學套件進行加工策略與NC程式開發之最佳技術移轉",
            "Machining strategy and NC programming with dynamics toolkits: technology transfer",
        ),
        IN,
        Field.AEROSPACE,
        date(2011, 10, 1),
        date(2013, 9, 30),
        Act(TT, HUAQING, "2000000.00", "15.00"),
    ),
    "ELECTRO_OPTICS": _case(
        "ICP-2009-004",
        ("光電設控維修能量建立", "Electro-optical fire-control maintenance capability"),
        DD,
        Field.DEFENCE,
        date(2011, 10, 1),
        date(2014, 12, 31),
        Act(TT, NCSIST, "4000000.00", "20.00"),
        plan="光電設控維修能量建立",
    ),
    "GDC": _case(
        "ICP-2009-004",
        (
            "Green Data Center (GDC)節能資料整合中心",
            "Green Data Center (GDC) energy-saving data integration centre",
        ),
        IN,
        Field.THREE_C,
        date(2011, 10, 1),
        date(2013, 12, 31),
        Act(INV, ITRI, "40000000.00"),
        plan="綠色機房(GDC)節能資料整合中心",
    ),
    "BIOTECH_TALENT": _case(
        "ICP-2008-011",
        (
            "生技醫藥國際合作菁英人才培訓計畫",
            "International biotech and pharmaceutical talent training programme",
        ),
        IN,
        Field.BIOTECH,
        date(2012, 1, 1),
        date(2013, 12, 31),
        Act(TR, ITRI, "3600000.00"),
    ),
    "PARTS_787": _case(
        "ICP-2008-011",
        (
            "787型客機機製與複材零組件國內採購",
            "787 machined and composite parts procured in Taiwan",
        ),
        IN,
        Field.AEROSPACE,
        date(2012, 1, 1),
        date(2014, 12, 31),
        Act(DP, AIDC, "15000000.00", "2.00"),
        plan="787型客機機製與複材零組件採購",
    ),
    "CABIN_SEATS": _case(
        "ICP-2008-011",
        ("客艙座椅零組件國內採購", "Cabin seat components procured in Taiwan"),
        IN,
        Field.AEROSPACE,
        date(2012, 1, 1),
        date(2012, 12, 31),
        Act(DP, PIHSIANG, "1200000.00", "2.00"),
    ),
    "FSW": _case(
        "ICP-2008-011",
        (
            "摩擦攪拌焊接機具製造技術移轉",
            "Friction-stir welding machine manufacturing: technology transfer",
        ),
        IN,
        Field.AEROSPACE,
        date(2012, 1, 1),
        date(2013, 12, 31),
        Act(TT, HUAQING, "1200000.00", "15.00"),
    ),
    "MACHINING": _case(
        "ICP-2009-004",
        ("先進加工技術技轉", "Advanced machining technology transfer"),
        IN,
        Field.OTHER,
        date(2012, 1, 1),
        date(2013, 6, 30),
        Act(TT, MINGXIE, "800000.00", "15.00"),
    ),
    "RADAR_DEPOT": _case(
        "ICP-2009-004",
        (
            "雷達系統維修能量建立技術移轉",
            "Radar system maintenance capability: technology transfer",
        ),
        DD,
        Field.DEFENCE,
        date(2012, 1, 1),
        date(2014, 12, 31),
        Act(TT, ARSENAL_202, "2500000.00", "18.00"),
    ),
    "AMRT_AIRCON": _case(
        "ICP-2006-003",
        ("機場捷運電聯車空調系統國內採購", "Airport MRT EMU air-conditioning procured in Taiwan"),
        IN,
        Field.RAIL,
        date(2012, 1, 1),
        date(2013, 6, 30),
        Act(DP, TRSC, "6000000.00", "2.00"),
        plan="電聯車零組件國內採購",
    ),
    "EO_CENTRE": _case(
        "ICP-2009-004",
        (
            "光電系統維修中心國內投資",
            "Investment in an electro-optical systems repair centre in Taiwan",
        ),
        ID,
        Field.DEFENCE,
        date(2012, 1, 1),
        date(2014, 6, 30),
        Act(INV, GETAC, "26992430.00"),
    ),
    "RF_CONNECTORS": _case(
        "ICP-2009-004",
        ("射頻連接器製造技術移轉", "RF connector manufacturing technology transfer"),
        IN,
        Field.THREE_C,
        date(2012, 1, 1),
        date(2012, 12, 31),
        Act(TT, BINGJIE, "300000.00", "15.00"),
    ),
}


@dataclass(frozen=True)
class SubCommittee:
    number: int
    held_on: date
    title: str
    panel: list[str]
    cases: list[tuple[str, str]]  # (case, outcome: pass or forward)
    # (reviewer, case, reason): a declared conflict of interest; that reviewer files nothing
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class PromotionMeeting:
    year: int
    number: int
    held_on: date
    minutes_approved_on: date
    subcommittees: list[SubCommittee]
    pre_approved: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (case, reason)
    actual: list[str] = field(default_factory=list)
    extended: list[tuple[str, date]] = field(default_factory=list)
    on_record: list[tuple[str, str]] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    closed_with_retention: list[str] = field(default_factory=list)
    withdrawn: list[tuple[str, str]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.year - 1911}年度第{self.number}次工業合作推動小組會議"


MEETINGS = [
    PromotionMeeting(
        2010,
        3,
        date(2010, 8, 26),
        date(2010, 9, 3),
        [
            SubCommittee(
                6,
                date(2010, 8, 5),
                "MRJ客機零組件、風力發電機齒輪箱及機場捷運等預核案產業分組會議",
                AERO,
                [("MRJ", PASS), ("GEARBOX", PASS), ("DOORS", PASS), ("APACHE_CREW", PASS)],
                conflicts=[("assoc-taia", "MRJ", "本會會員廠商漢翔公司為本案國內承接單位。")],
            ),
            SubCommittee(
                7,
                date(2010, 8, 6),
                "軌道及國防預核案產業分組會議",
                MIXED,
                [
                    ("C381", PASS),
                    ("AMRT_TRAINING", PASS),
                    ("AMRT_SIGNALS", PASS),
                    ("HAWK", PASS),
                ],
            ),
        ],
        pre_approved=[
            "MRJ",
            "GEARBOX",
            "DOORS",
            "APACHE_CREW",
            "C381",
            "AMRT_TRAINING",
            "AMRT_SIGNALS",
            "HAWK",
        ],
    ),
    PromotionMeeting(
        2010,
        4,
        date(2010, 12, 2),
        date(2010, 12, 10),
        [
            SubCommittee(
                9,
                date(2010, 11, 11),
                "雷神公司國防工合預核案產業分組會議",
                DEFENCE,
                [
                    ("WAVEGUIDE", PASS),
                    ("PATRIOT_DEPOT", PASS),
                    ("PATRIOT_FIRE_CONTROL", PASS),
                    ("THERMAL", PASS),
                    ("RUGGED_CENTRE", FORWARD),
                    ("RADAR_MODULES", PASS),
                    ("UAV_PAYLOAD", PASS),
                ],
            ),
            SubCommittee(
                10,
                date(2010, 11, 12),
                "波音公司航太及國防工合預核案產業分組會議",
                AERO,
                [
                    ("FASTENERS", PASS),
                    ("COMPOSITE_REPAIR", PASS),
                    ("AS9100", PASS),
                    ("ROTOR_BLADES", PASS),
                    ("STRUCTURES", PASS),
                    ("APACHE_ENGINES", PASS),
                    ("AVIONICS", PASS),
                ],
            ),
            SubCommittee(
                11,
                date(2010, 11, 18),
                "機場捷運電聯車國內採購預核案產業分組會議",
                RAIL,
                [("AMRT_BOGIES", PASS), ("TRACTION", PASS), ("AMRT_EM", PASS), ("EMU_DOORS", PASS)],
            ),
        ],
        pre_approved=[
            "WAVEGUIDE",
            "PATRIOT_DEPOT",
            "PATRIOT_FIRE_CONTROL",
            "THERMAL",
            "RUGGED_CENTRE",
            "RADAR_MODULES",
            "UAV_PAYLOAD",
            "FASTENERS",
            "COMPOSITE_REPAIR",
            "AS9100",
            "ROTOR_BLADES",
            "STRUCTURES",
            "APACHE_ENGINES",
            "AVIONICS",
            "AMRT_BOGIES",
            "TRACTION",
            "AMRT_EM",
            "EMU_DOORS",
        ],
        actual=["AMRT_TRAINING", "APACHE_CREW"],
    ),
    # 3月17日 第1次: 預核3案 2,672萬6,856美元點、實核5案 3,787萬2,762美元點、預核核駁1案、
    # 結案2案、展延3案 (紀錄3月25日奉核定).
    PromotionMeeting(
        2011,
        1,
        date(2011, 3, 17),
        date(2011, 3, 25),
        [
            SubCommittee(
                1,
                date(2011, 2, 23),
                "台電風力發電機組運轉維護保養技術移轉及訓練產業分組會議",
                ENERGY,
                [("WIND_OM", PASS)],
            ),
            SubCommittee(
                2,
                date(2011, 2, 25),
                "燃料電池、直升機維修訓練及機場捷運座椅預核案產業分組會議",
                MIXED,
                [("FUEL_CELL", PASS), ("APACHE_PHASE2", PASS), ("AMRT_SEATS", FORWARD)],
            ),
        ],
        pre_approved=["WIND_OM", "FUEL_CELL", "APACHE_PHASE2"],
        rejected=[
            (
                "AMRT_SEATS",
                "國內廠商於協議書簽署前已取得該訂單，非屬工業合作新增效益，預核核駁。",
            )
        ],
        actual=["HAWK", "AMRT_BOGIES", "COMPOSITE_REPAIR", "WAVEGUIDE", "AS9100"],
        extended=[
            ("MRJ", date(2011, 12, 31)),
            ("PATRIOT_DEPOT", date(2011, 10, 31)),
            ("ROTOR_BLADES", date(2011, 10, 31)),
        ],
        closed=["AMRT_TRAINING", "APACHE_CREW"],
    ),
    # 6月2日 第2次: 預核1案 6,988萬4,223美元點、實核5案 3億562萬7,864美元點、備查1案、
    # 結案1案、展延2案、結案暨額度留存1案、保留額度留存1案 (紀錄6月16日奉核定).
    PromotionMeeting(
        2011,
        2,
        date(2011, 6, 2),
        date(2011, 6, 16),
        [
            SubCommittee(
                3,
                date(2011, 4, 26),
                "EASA維修/稽核/檢驗人員、實作鑑定人員訓練產業分組會議",
                AERO,
                [("EASA", PASS)],
                conflicts=[("assoc-taia", "EASA", "本會會員廠商為本案受訓單位。")],
            ),
        ],
        pre_approved=["EASA"],
        actual=["DOORS", "MRJ", "GEARBOX", "PATRIOT_FIRE_CONTROL", "AMRT_EM"],
        extended=[("FASTENERS", date(2011, 10, 31)), ("THERMAL", date(2011, 8, 31))],
        on_record=[
            ("C381", "交車期程配合信義線通車時程調整，准予備查。"),
            (
                "PATRIOT_DEPOT",
                "保留額度留存：雷神公司101年前之預存及留存額度續予保留，准予備查。",
            ),
        ],
        closed=["AMRT_BOGIES"],
        closed_with_retention=["HAWK"],
    ),
    # 9月8日 第3次: 預核4案 2億2,325萬美元點、實核3案 1,392萬6,904美元點及1億9,916萬
    # 2,419新台幣點、備查1案、結案1案、展延5案、撤案1案 (紀錄9月26日奉核定).
    PromotionMeeting(
        2011,
        3,
        date(2011, 9, 8),
        date(2011, 9, 26),
        [
            SubCommittee(
                4,
                date(2011, 8, 11),
                "模擬機操作/維修技轉及訓練案產業分組會議",
                AERO,
                [("SIMULATOR", PASS)],
            ),
            SubCommittee(
                5,
                date(2011, 8, 17),
                "應用動力學套件進行加工策略與NC程式開發之最佳技術移轉產業分組會議",
                MIXED,
                [("NC_DYNAMICS", PASS)],
            ),
            SubCommittee(
                6,
                date(2011, 8, 18),
                "光電設控維修能量及綠色節能資料整合中心預核案產業分組會議",
                DEFENCE,
                [("ELECTRO_OPTICS", PASS), ("GDC", FORWARD)],
            ),
        ],
        pre_approved=["SIMULATOR", "NC_DYNAMICS", "ELECTRO_OPTICS", "GDC"],
        actual=["THERMAL", "STRUCTURES", "C381"],
        extended=[
            ("TRACTION", date(2012, 9, 30)),
            ("EMU_DOORS", date(2011, 12, 31)),
            ("RUGGED_CENTRE", date(2011, 12, 31)),
            ("APACHE_ENGINES", date(2011, 12, 31)),
            ("AVIONICS", date(2012, 12, 31)),
        ],
        on_record=[("WIND_OM", "訓練梯次配合台電機組維護排程調整，准予備查。")],
        closed=["COMPOSITE_REPAIR"],
        withdrawn=[
            (
                "AMRT_SIGNALS",
                "國內廠商未能取得原廠認證，外商申請撤案，釋放預核額度。",
            )
        ],
    ),
    # 11月29日 第4次: 預核9案(含駁回2案) 1億4,759萬2,430美元點、實核6案 1億4,801萬6,537
    # 美元點、結案1案、展延1案、撤案1案 (紀錄12月6日奉核定).
    PromotionMeeting(
        2011,
        4,
        date(2011, 11, 29),
        date(2011, 12, 6),
        [
            SubCommittee(
                7,
                date(2011, 11, 7),
                "生技醫藥國際合作菁英人才培訓計畫案產業分組會議",
                BIOTECH,
                [("BIOTECH_TALENT", PASS), ("PARTS_787", PASS), ("CABIN_SEATS", FORWARD)],
            ),
            SubCommittee(
                8,
                date(2011, 11, 10),
                "摩擦攪拌焊接機具製造技術移轉及先進加工技術技轉等案產業分組會議",
                MIXED,
                [
                    ("FSW", PASS),
                    ("MACHINING", PASS),
                    ("RADAR_DEPOT", PASS),
                    ("AMRT_AIRCON", PASS),
                    ("EO_CENTRE", PASS),
                    ("RF_CONNECTORS", FORWARD),
                ],
            ),
        ],
        pre_approved=[
            "FSW",
            "MACHINING",
            "BIOTECH_TALENT",
            "PARTS_787",
            "RADAR_DEPOT",
            "AMRT_AIRCON",
            "EO_CENTRE",
        ],
        rejected=[
            ("CABIN_SEATS", "採購項目屬國內廠商既有產品線，非屬工業合作新增效益，核駁。"),
            ("RF_CONNECTORS", "技術層次不高且國內已有成熟產品，核駁。"),
        ],
        actual=[
            "PATRIOT_DEPOT",
            "FASTENERS",
            "ROTOR_BLADES",
            "RUGGED_CENTRE",
            "EMU_DOORS",
            "APACHE_ENGINES",
        ],
        extended=[("RADAR_MODULES", date(2012, 12, 31))],
        closed=["GEARBOX"],
        withdrawn=[("UAV_PAYLOAD", "美國政府未核發該技術之輸出許可，外商申請撤案。")],
    ),
]
# The contractors file the quarter's progress report once more after the last meeting.
LAST_QUARTER = (2011, 4)

ACTIVE = (CaseStatus.PRE_APPROVED, CaseStatus.IN_EXECUTION)


@contextmanager
def _no_mail():
    """The replay re-enacts 2010–2011: nobody is e-mailed about it (and ``make run``
    does not print a few hundred console e-mails)."""
    from feedback import notifications as fee_notifications

    modules = (notifications, fee_notifications)
    originals = [module.notify for module in modules]
    for module in modules:
        module.notify = lambda *args, **kwargs: 0
    try:
        yield
    finally:
        for module, original in zip(modules, originals, strict=True):
            module.notify = original


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _quarter_before(day: date) -> tuple[int, int]:
    quarter = (day.month - 1) // 3 + 1
    return (day.year, quarter - 1) if quarter > 1 else (day.year - 1, 4)


def _quarter_end(year: int, quarter: int) -> date:
    return date(year, 3 * quarter, 1) + relativedelta(months=1, days=-1)


class Replay:
    """Walks the meetings in order, keeping the cases it creates by key."""

    def __init__(self):
        self.office = User.objects.get(username="office")
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
    def file(self, key: str) -> Case:
        spec = CASES[key]
        agreement = Agreement.objects.get(number=spec.agreement)
        recipients = {
            o.name_zh: o
            for o in Organization.objects.filter(
                kind=OrganizationKind.DOMESTIC_RECIPIENT,
                name_zh__in=[a.recipient for a in spec.activities],
            )
        }
        plan_item = (
            PlanItem.objects.filter(agreement=agreement, title=spec.plan).first()
            if spec.plan
            else None
        )
        filer = self.contractor_person(Case(agreement=agreement))
        case = case_services.case_create(
            agreement=agreement,
            actor=filer,
            activities=[
                {
                    "mode": a.mode,
                    "recipient": recipients[a.recipient],
                    "value": D(a.value),
                    "requested_multiplier": D(a.multiplier),
                }
                for a in spec.activities
            ],
            title_zh=spec.title_zh,
            title_en=spec.title_en,
            use=spec.use,
            field=spec.field,
            starts_on=spec.starts,
            ends_on=spec.ends,
            description=spec.description,
            plan_item=plan_item,
        )
        for kind, name in ((DocumentKind.APPLICATION, "application"), (DocumentKind.PLAN, "plan")):
            case_services.document_upload(
                case=case, kind=kind, upload=_pdf(f"{name}.pdf"), actor=filer
            )
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
        case = case_services.case_submit(case=case, actor=filer)
        case = case_services.case_start_checklist(case=case, actor=self.office)
        for code in ("forms_complete", "chosen_publicly"):
            case_services.checklist_confirm(
                case=case, code=code, result=ChecklistResult.PASS, actor=self.office
            )
        case = case_services.case_initial_review(
            case=case,
            opinion=(
                "經查本案申請書、計畫書及承諾書齊備，執行項目符合協議書工業合作計畫，"
                "預核額度未超出購案可用額度；經洽產業推動小組確認個案價值，建議提產業分組"
                "委員會審查。"
            ),
            actor=self.office,
        )
        self.cases[key] = case
        return case

    def subcommittee(self, year: int, spec: SubCommittee) -> Meeting:
        cases = {key: self.file(key) for key, _outcome in spec.cases}
        meeting = services.meeting_create(
            kind=MeetingKind.SUBCOMMITTEE,
            year=year,
            number=spec.number,
            held_on=spec.held_on,
            title=spec.title,
            members=[self.reviewers[name] for name in spec.panel],
            actor=self.office,
        )
        for case in cases.values():
            services.agenda_add(
                meeting=meeting, case=case, kind=AgendaKind.CASE_REVIEW, actor=self.office
            )
        conflicted = set()
        for username, key, reason in spec.conflicts:
            services.conflict_declare(
                meeting=meeting,
                case=cases[key],
                reason=reason,
                actor=self.reviewers[username].user,
            )
            conflicted.add((username, key))
        for key, outcome in spec.cases:
            for seat, username in enumerate(spec.panel):
                if (username, key) in conflicted:
                    continue
                # A forwarded case splits the panel: the first seat would have passed it.
                recommendation = PASS if outcome == FORWARD and seat == 0 else outcome
                services.opinion_file(
                    meeting=meeting,
                    case=cases[key],
                    opinion=(
                        "技術層次及對國內產業之效益明確，價值與乘數合理，建議通過。"
                        if recommendation == PASS
                        else "個案效益及新增性尚有疑義，建議賡續送推動小組會議審議。"
                    ),
                    recommendation=recommendation,
                    actor=self.reviewers[username].user,
                )
            self.cases[key] = case_services.case_subcommittee_review(
                case=cases[key],
                outcome=outcome,
                note="通過審查。" if outcome == PASS else "賡續送工業合作推動小組會議審議。",
                actor=self.office,
            )
        return meeting

    # -- execution ----------------------------------------------------------------------
    def progress_reports(self, year: int, quarter: int, finishing: set[str]) -> None:
        """Every case in execution reports on the quarter; those about to request actual
        approval report completion."""
        quarter_end = _quarter_end(year, quarter)
        for key, case in self.cases.items():
            case.refresh_from_db()
            if case.status not in ACTIVE or self.pre_approved_on[key] > quarter_end:
                continue
            if case.progress_reports.filter(year=year, quarter=quarter).exists():
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
                f"Q{quarter} {year}: all work items completed; completion evidence attached."
                if percent == 100 and english
                else f"{year}年第{quarter}季：全部工作項目完成，檢附完成佐證資料。"
                if percent == 100
                else f"Q{quarter} {year}: work proceeding to plan, {percent}% complete."
                if english
                else f"{year}年第{quarter}季：依計畫執行，累計完成{percent}%。"
            )
            case_services.progress_report_file(
                case=case,
                year=year,
                quarter=quarter,
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
            case=case, actor=person, note="計畫目標均已達成，檢附完成佐證，申請實核。"
        )

    # -- the promotion committee ------------------------------------------------------------
    def promotion(self, spec: PromotionMeeting) -> Meeting:
        for key in spec.actual:
            self.request_actual(key)
        meeting = services.meeting_create(
            kind=MeetingKind.PROMOTION_COMMITTEE,
            year=spec.year,
            number=spec.number,
            held_on=spec.held_on,
            title=spec.title,
            actor=self.office,
        )

        def decide(key, kind, outcome, note="", **extra):
            item = services.agenda_add(
                meeting=meeting, case=self.cases[key], kind=kind, actor=self.office
            )
            services.decision_record(
                meeting=meeting,
                agenda_item=item,
                outcome=outcome,
                note=note,
                actor=self.office,
                **extra,
            )

        for key in spec.pre_approved:
            decide(
                key,
                AgendaKind.PRE_APPROVAL,
                Outcome.APPROVED,
                "通過預核，核定價值、乘數、期程及國內合作廠商如計畫書。",
                activities=[
                    {"activity": activity.pk, "approved_multiplier": activity.requested_multiplier}
                    for activity in self.cases[key].activities.all()
                ],
            )
        for key, reason in spec.rejected:
            decide(key, AgendaKind.PRE_APPROVAL, Outcome.REJECTED, reason)
        for key in spec.actual:
            planned = {(a.mode, a.recipient, D(a.value)): a.actual for a in CASES[key].activities}
            decide(
                key,
                AgendaKind.ACTUAL_APPROVAL,
                Outcome.APPROVED,
                "經查個案已依計畫目標完成，通過實核。",
                activities=[
                    {
                        "activity": activity.pk,
                        "actual_credits": planned[
                            (activity.mode, activity.recipient.name_zh, activity.value)
                        ]
                        or activity.pre_approved_credits,
                    }
                    for activity in self.cases[key].activities.select_related("recipient")
                ],
            )
        for key, new_end in spec.extended:
            decide(
                key,
                AgendaKind.EXTENSION,
                Outcome.EXTENDED,
                "同意展延執行期限，期程依外商所提修正計畫。",
                new_ends_on=new_end,
            )
        for key, note in spec.on_record:
            decide(key, AgendaKind.ON_RECORD, Outcome.NOTED, note)
        for key in spec.closed:
            decide(key, AgendaKind.CLOSURE, Outcome.CLOSED, "個案執行完竣，同意結案。")
        for key in spec.closed_with_retention:
            decide(
                key,
                AgendaKind.CLOSURE,
                Outcome.CLOSED_WITH_RETENTION,
                "同意結案，超出協議書義務之實核額度依規定留存（101年前簽署之協議書）。",
            )
        for key, reason in spec.withdrawn:
            decide(key, AgendaKind.WITHDRAWAL, Outcome.WITHDRAWN, reason)
        meeting = services.minutes_approve(
            meeting=meeting, actor=self.office, approved_on=spec.minutes_approved_on
        )
        for key in spec.pre_approved:
            self.pre_approved_on[key] = spec.held_on
        return meeting

    def run(self) -> list[Meeting]:
        meetings = []
        for spec in MEETINGS:
            self.progress_reports(*_quarter_before(spec.held_on), finishing=set(spec.actual))
            for subcommittee in spec.subcommittees:
                self.subcommittee(spec.year, subcommittee)
            meetings.append(self.promotion(spec))
        self.progress_reports(*LAST_QUARTER, finishing=set())
        return meetings


def _meeting_keys() -> list[tuple[str, int, int]]:
    keys = []
    for spec in MEETINGS:
        keys.append((MeetingKind.PROMOTION_COMMITTEE, spec.year, spec.number))
        keys += [(MeetingKind.SUBCOMMITTEE, spec.year, sc.number) for sc in spec.subcommittees]
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
    return (
        f"  {meeting.year} #{meeting.number} ({meeting.held_on.isoformat()}, minutes "
        f"{meeting.minutes_approved_on.isoformat()}): " + ", ".join(parts)
    )


@transaction.atomic
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
    with _no_mail():
        meetings = Replay().run()
        # The actual approvals issued feedback-fee bills; settle them as 2011 went.
        fee_lines = settle_2011_bills(actor=system_user())
    lines = [
        f"Committee: replayed {len(meetings)} promotion-committee meetings "
        f"(2010 #3–#4, 2011 #1–#4), {len(keys) - len(meetings)} sub-committee meetings "
        f"and {len(CASES)} cases; 2011:"
    ]
    lines += [meeting_summary(m) for m in meetings if m.year == 2011]
    return lines + fee_lines
