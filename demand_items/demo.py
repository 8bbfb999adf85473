"""Demo data of the demand items (工合需求項目): the four 2011 quarterly rounds with the
counts of domain.md §6, played through the services only.

- Q1: 15 scored → 2 priority, 3 general, 2 held, 8 not included.
- Q2: 35 scored (33 new + the 2 held from Q1) → 2, 13, 7 held, 13 not included.
- Q3: 22 scored (16 new + 6 of the 7 held from Q2) → 4, 1, 0 held, 17 not included.
- Q4: 14 scored → 5, 0, 0 held, 9 not included.

The 7th item held in Q2 (植物新藥臨床試驗設計, outcome ``-`` below) sits in the Q3 round
as the hold put it, submitted but never scored: its proposing unit did not send the
revised plan the panel asked for, so it is counted in no Q3 figure and is not public.

Each round has its initial-review panel (the 7 demo reviewers: IDB 1, DoIT 1, research
institutes 3, scholars 2); every scored item gets 4 to 7 scores whose mean lands in the
intended band. The panel holds items before the office closes the scoring, so a held item
is classified only in the round it is finally scored in; the hold itself is the
``demand_item.hold`` event (note ``"2011 Q1 → 2011 Q2"``).

Second review (複審): the 2011 promotion-committee meetings are replayed by
``committee/demo.py``, which runs after this module, so the committee's decisions on the
priority and general items are recorded here with ``services.item_second_review``
directly (not through a meeting's agenda and minutes). All 30 pass except one Q2 general
item, 觸控面板軟性顯示技術 (``NOT_PASSED``); the 29 passed items are published.

Idempotent: nothing is written when the 2011 Q1 round exists.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from committee import services as committee_services
from committee.choices import MeetingKind
from demand_items import notifications, services
from demand_items.choices import Classification, Criterion
from demand_items.models import CallRound, DemandItem
from organizations.choices import OrganizationKind
from organizations.demo_parties import PARTIES
from organizations.models import Organization, ReviewerProfile, User

YEAR = 2011

# The panel of every 2011 round, in seat order (IDB, DoIT, 3 research institutes, 2 scholars).
PANEL = [
    "official-ida",
    "official-doit",
    "research-itri",
    "research-ncsist",
    "research-mirdc",
    "scholar-lin",
    "scholar-yang",
]

# The call letter's date and the filing deadline of each quarter's round.
ROUND_DATES = {
    1: (date(YEAR, 1, 5), date(YEAR, 1, 25)),
    2: (date(YEAR, 4, 5), date(YEAR, 4, 25)),
    3: (date(YEAR, 7, 5), date(YEAR, 7, 25)),
    4: (date(YEAR, 10, 5), date(YEAR, 10, 25)),
}

# Outcome letters, one per round the item goes through from the quarter it is filed in:
# P priority, G general, X not included, H held to the next round, - left unscored.
# quarter, proposing unit (demo_parties key), field, source, defence, title zh, title en, outcome
ITEMS = [
    # ---- 2011 Q1: 15 filed ----
    (1, "aerospace_promotion_office", "aerospace", "A", False,
     "民用航空器複合材料主結構件製造技術",
     "Composite primary-structure manufacturing for civil aircraft", "P"),
    (1, "ncsist", "defence", "B", True,
     "軍用雷達天線陣列模組設計與測試技術",
     "Design and testing of military radar antenna-array modules", "P"),
    (1, "itri", "3c", "A", False,
     "第四代行動通訊基地台射頻模組", "RF modules for 4G mobile base stations", "G"),
    (1, "ttvma", "rail", "B", False,
     "捷運車輛轉向架國產化技術", "Local manufacture of metro-car bogies", "G"),
    (1, "biotech_promotion_office", "biotech", "A", False,
     "生物相似藥製程開發與確效", "Biosimilar process development and validation", "G"),
    (1, "mirdc", "aerospace", "C", False,
     "航太扣件熱處理與表面處理認證",
     "Heat- and surface-treatment qualification of aerospace fasteners", "HG"),
    (1, "teema", "energy", "B", False,
     "風力發電機組齒輪箱維修技術", "Wind-turbine gearbox maintenance and repair", "HP"),
    (1, "composites_association", "other", "C", False,
     "碳纖維自行車車架自動化積層", "Automated lay-up of carbon-fibre bicycle frames", "X"),
    (1, "iii", "3c", "C", False,
     "雲端資料中心虛擬化管理軟體",
     "Virtualisation management software for cloud data centres", "X"),
    (1, "artc", "other", "C", False,
     "電動車電池模組安全測試設備", "Safety test equipment for EV battery modules", "X"),
    (1, "taia", "aerospace", "D", False,
     "航空器零組件適航驗證文件製作訓練",
     "Training in airworthiness-certification documents for aircraft parts", "X"),
    (1, "soic", "other", "C", False,
     "遊艇船殼真空灌注成型", "Vacuum-infusion moulding of yacht hulls", "X"),
    (1, "teema", "3c", "C", False, "LED 照明驅動晶片設計", "LED lighting driver IC design", "X"),
    (1, "ncsist", "defence", "B", True,
     "軍用車輛夜視系統維修能量",
     "Maintenance capability for military-vehicle night-vision systems", "X"),
    (1, "biotech_promotion_office", "biotech", "C", False,
     "醫療器材滅菌確效服務", "Sterilisation validation services for medical devices", "X"),
    # ---- 2011 Q2: 33 new (+ 2 held from Q1) ----
    (2, "aerospace_promotion_office", "aerospace", "A", False,
     "航空發動機葉片精密鑄造", "Precision casting of aero-engine turbine blades", "P"),
    (2, "ncsist", "defence", "B", True,
     "飛彈系統慣性導航元件測試",
     "Testing of inertial-navigation components for missile systems", "G"),
    (2, "itri", "energy", "A", False,
     "太陽能電池高效率製程設備", "Equipment for high-efficiency solar-cell processes", "G"),
    (2, "ttvma", "rail", "B", False,
     "高速鐵路車輛維修零件本地化",
     "Localisation of high-speed rail rolling-stock spare parts", "G"),
    (2, "biotech_promotion_office", "biotech", "A", False,
     "疫苗量產細胞培養技術", "Cell-culture technology for vaccine mass production", "G"),
    (2, "mirdc", "other", "C", False,
     "大型鍛件精密加工", "Precision machining of large forgings", "G"),
    (2, "iii", "3c", "B", False,
     "智慧電網通訊安全模組", "Security modules for smart-grid communications", "G"),
    (2, "teema", "energy", "B", False,
     "智慧電表量產與驗證", "Mass production and certification of smart meters", "G"),
    (2, "composites_association", "aerospace", "C", False,
     "航太級預浸材料認證", "Qualification of aerospace-grade prepreg materials", "G"),
    (2, "artc", "other", "B", False,
     "車輛電子穩定系統驗證", "Validation of vehicle electronic stability control", "G"),
    (2, "soic", "defence", "B", True,
     "海軍艦艇推進系統維修", "Maintenance of naval-vessel propulsion systems", "G"),
    (2, "taia", "aerospace", "C", False,
     "航空器客艙內裝件設計製造", "Design and manufacture of aircraft cabin interiors", "G"),
    (2, "itri", "3c", "A", False,
     "觸控面板軟性顯示技術", "Flexible display technology for touch panels", "G"),
    (2, "aerospace_promotion_office", "aerospace", "A", False,
     "直升機旋翼系統維修能量", "Helicopter rotor-system maintenance capability", "HP"),
    (2, "ncsist", "defence", "A", True,
     "無人飛行載具飛控電腦", "Flight-control computers for unmanned aerial vehicles", "HP"),
    (2, "itri", "energy", "B", False,
     "離岸風電水下基礎設計", "Foundation design for offshore wind turbines", "HG"),
    (2, "mirdc", "other", "C", False,
     "精密模具高速切削", "High-speed cutting of precision moulds", "HX"),
    (2, "iii", "3c", "C", False, "行動支付安全晶片", "Secure chips for mobile payment", "HX"),
    (2, "ttvma", "rail", "C", False,
     "輕軌車輛車體鋁擠型", "Aluminium extrusions for light-rail car bodies", "HX"),
    (2, "biotech_promotion_office", "biotech", "C", False,
     "植物新藥臨床試驗設計", "Clinical-trial design for botanical drugs", "H-"),
    (2, "teema", "3c", "C", False,
     "家電變頻控制器", "Inverter controllers for home appliances", "X"),
    (2, "composites_association", "other", "C", False,
     "複合材料壓力容器", "Composite pressure vessels", "X"),
    (2, "artc", "other", "C", False, "車用雷達感測器", "Automotive radar sensors", "X"),
    (2, "soic", "other", "C", False,
     "漁船節能推進系統", "Energy-saving propulsion for fishing vessels", "X"),
    (2, "taia", "aerospace", "D", False,
     "航空器塗裝廠房建置", "Building an aircraft paint shop", "X"),
    (2, "biotech_promotion_office", "biotech", "C", False,
     "保健食品功效評估", "Efficacy evaluation of health foods", "X"),
    (2, "iii", "3c", "C", False,
     "數位內容多語平台", "Multilingual digital-content platform", "X"),
    (2, "mirdc", "energy", "C", False,
     "燃料電池金屬雙極板", "Metal bipolar plates for fuel cells", "X"),
    (2, "teema", "energy", "C", False,
     "儲能系統電池管理", "Battery management for energy-storage systems", "X"),
    (2, "itri", "3c", "C", False,
     "印刷電路板雷射鑽孔", "Laser drilling of printed circuit boards", "X"),
    (2, "ttvma", "rail", "D", False,
     "鐵路號誌系統國產化", "Local manufacture of railway signalling systems", "X"),
    (2, "composites_association", "aerospace", "C", False,
     "無人機複合材料機翼", "Composite wings for small drones", "X"),
    (2, "artc", "other", "D", False,
     "車輛噪音振動分析", "Vehicle noise and vibration analysis", "X"),
    # ---- 2011 Q3: 16 new (+ 6 held from Q2) ----
    (3, "ncsist", "defence", "A", True,
     "戰機航電系統整合測試", "Integration testing of fighter avionics", "P"),
    (3, "aerospace_promotion_office", "aerospace", "A", False,
     "民航機起落架零組件維修", "Landing-gear component repair for airliners", "P"),
    (3, "teema", "3c", "C", False,
     "電源供應器高效率設計", "High-efficiency power-supply design", "X"),
    (3, "itri", "biotech", "C", False, "生醫感測晶片", "Biomedical sensor chips", "X"),
    (3, "biotech_promotion_office", "biotech", "C", False,
     "中藥材品質檢驗", "Quality testing of Chinese herbal materials", "X"),
    (3, "mirdc", "other", "C", False, "金屬粉末射出成形", "Metal injection moulding", "X"),
    (3, "composites_association", "energy", "C", False,
     "風機葉片複合材料回收", "Recycling of wind-turbine blade composites", "X"),
    (3, "artc", "other", "C", False,
     "電動機車動力系統", "Powertrains for electric scooters", "X"),
    (3, "soic", "defence", "B", True, "巡防艇船體設計", "Hull design of patrol boats", "X"),
    (3, "iii", "3c", "C", False, "物聯網感測平台", "Internet-of-things sensing platform", "X"),
    (3, "ttvma", "rail", "C", False,
     "軌道車輛座椅防火測試", "Fire testing of rail-vehicle seats", "X"),
    (3, "taia", "aerospace", "C", False,
     "航太品質管理系統輔導", "Coaching in aerospace quality-management systems", "X"),
    (3, "teema", "energy", "C", False, "LED 路燈系統", "LED street-lighting systems", "X"),
    (3, "itri", "energy", "D", False, "生質燃料轉換製程", "Biofuel conversion processes", "X"),
    (3, "mirdc", "aerospace", "C", False,
     "鈦合金管件成形", "Forming of titanium-alloy tubing", "X"),
    (3, "biotech_promotion_office", "biotech", "D", False,
     "醫療影像分析軟體", "Medical image analysis software", "X"),
    # ---- 2011 Q4: 14 new ----
    (4, "ncsist", "defence", "A", True,
     "艦載作戰系統軟體維護", "Software maintenance of shipborne combat systems", "P"),
    (4, "aerospace_promotion_office", "aerospace", "A", False,
     "航空器結構疲勞試驗", "Fatigue testing of aircraft structures", "P"),
    (4, "itri", "3c", "A", False, "雲端運算伺服器設計", "Cloud-computing server design", "P"),
    (4, "ttvma", "rail", "B", False,
     "高鐵車輛電力轉換器維修", "Repair of traction converters for high-speed trains", "P"),
    (4, "biotech_promotion_office", "biotech", "A", False,
     "蛋白質藥物量產製程", "Mass-production processes for protein drugs", "P"),
    (4, "teema", "3c", "C", False, "平板電腦觸控模組", "Touch modules for tablet computers", "X"),
    (4, "composites_association", "other", "C", False,
     "複合材料建築結構補強", "Composite strengthening of building structures", "X"),
    (4, "artc", "other", "C", False, "車用抬頭顯示器", "Automotive head-up displays", "X"),
    (4, "soic", "other", "D", False, "遊艇內裝設計", "Yacht interior design", "X"),
    (4, "iii", "3c", "C", False, "電子書閱讀器軟體", "E-reader software", "X"),
    (4, "mirdc", "other", "C", False, "精密齒輪加工", "Precision gear machining", "X"),
    (4, "taia", "aerospace", "D", False,
     "航太專業人員英語訓練", "English training for aerospace professionals", "X"),
    (4, "teema", "energy", "C", False, "家用儲能設備", "Home energy-storage equipment", "X"),
    (4, "ncsist", "defence", "B", True,
     "軍用通信加密模組", "Encryption modules for military communications", "X"),
]  # fmt: skip

# The one item the promotion committee did not pass at its second review.
NOT_PASSED = "觸控面板軟性顯示技術"

# Score offsets around the intended mean (each list sums to zero: the mean is exact).
OFFSETS = {
    4: [-2, 3, 1, -2],
    5: [-3, 2, 0, 4, -3],
    6: [1, -4, 2, 3, -1, -1],
    7: [0, 2, -3, 4, -1, -2, 0],
}

BENEFIT = {
    "P": {
        Criterion.TECHNOLOGY_TRANSFER: "關鍵製程技術移轉，附帶訂單。",
        Criterion.INVESTMENT: "國外廠商來台設立維修或生產據點。",
        Criterion.TRAINING: "派員赴原廠訓練，取得隱性知識。",
    },
    "G": {
        Criterion.TECHNOLOGY_TRANSFER: "技術移轉並協助建立驗證能量。",
        Criterion.MARKETING: "協助進入國際供應鏈。",
    },
    "X": {Criterion.PROCUREMENT: "協助國內產品首次採購。"},
}


@contextmanager
def _no_mail():
    """The 2011 rounds are history: nobody is e-mailed the calls for items."""
    original = notifications.notify
    notifications.notify = lambda *args, **kwargs: 0
    try:
        yield
    finally:
        notifications.notify = original


def _target(letter: str, n: int) -> Decimal:
    """The intended panel mean of an outcome (the n-th item of the seed)."""
    if letter == "P":
        return Decimal(81 + n % 9) + Decimal("0.25") * (n % 4)
    if letter == "G":
        return Decimal(62 + (n * 3) % 16) + Decimal("0.5") * (n % 2)
    if letter == "H":
        return Decimal(66 + n % 10)
    return Decimal(38 + (n * 7) % 19) + Decimal("0.2") * (n % 3)


def _proposers() -> dict[str, Organization]:
    names = {p["key"]: p["name_zh"] for p in PARTIES if p["kind"] == "proposing_unit"}
    return {
        key: Organization.objects.get(kind=OrganizationKind.PROPOSING_UNIT, name_zh=name)
        for key, name in names.items()
    }


def _file(spec, n: int, call: CallRound, office: User, proposer_user: User, units) -> DemandItem:
    _quarter, key, field, source, defence, title_zh, title_en, outcome = spec
    total = (n % 7 + 2) * 15_000_000
    fields = {
        "title_zh": title_zh,
        "title_en": title_en,
        "field": field,
        "source": source,
        "defence": defence,
        "description": f"{title_zh}。{title_en}.",
        "technology_wanted": f"{title_en}: design data, process know-how and test methods.",
        "expected_benefit": {str(k): v for k, v in BENEFIT[outcome[-1]].items()}
        if outcome[-1] in BENEFIT
        else {},
        "firms": "國內相關廠商與學研單位",
        "total_need": Decimal(total),
        "icp_share": Decimal(total * (n % 3 + 4) // 10),
    }
    if key == "aerospace_promotion_office":
        actor = proposer_user  # the proposing unit's demo user files its own items
        item = services.item_create(round=call, actor=actor, **fields)
    else:
        actor = office  # the office files for the other proposing units
        item = services.item_create(round=call, actor=actor, proposer=units[key], **fields)
    today = call.opens_on + timedelta(days=n % 20)
    return services.item_submit(item=item, actor=actor, today=today)


def _score(item: DemandItem, letter: str, n: int, reviewers: list[User]) -> None:
    offsets = OFFSETS[4 + n % 4]
    target = _target(letter, n)
    start = n % len(reviewers)
    for i, offset in enumerate(offsets):
        reviewer = reviewers[(start + i) % len(reviewers)]
        services.score_file(
            item=item, score=target + offset, actor=reviewer, comment="2011 initial review"
        )


@transaction.atomic
def seed() -> list[str]:
    """Play the four 2011 rounds (once); returns lines for seed_demo to print."""
    if CallRound.objects.filter(year=YEAR, quarter=1).exists():
        return ["Demand items: the 2011 rounds are already loaded."]
    office = User.objects.get(username="office")
    proposer_user = User.objects.get(username="proposer")
    reviewers = [User.objects.get(username=name) for name in PANEL]
    profiles = [ReviewerProfile.objects.get(user=user) for user in reviewers]
    units = _proposers()
    lines = []
    with _no_mail():
        rounds = {
            q: services.round_open(
                year=YEAR, quarter=q, opens_on=opens, closes_on=closes, actor=office
            )
            for q, (opens, closes) in ROUND_DATES.items()
        }
        # item pk -> (outcome letters, the quarter it was filed in)
        plans: dict[int, tuple[str, int]] = {}
        n = 0
        for quarter, call in rounds.items():
            for spec in ITEMS:
                if spec[0] == quarter:
                    n += 1
                    item = _file(spec, n, call, office, proposer_user, units)
                    plans[item.pk] = (spec[7], quarter)
            committee_services.meeting_create(
                kind=MeetingKind.DEMAND_PANEL,
                year=YEAR,
                number=quarter,
                held_on=call.closes_on + timedelta(days=16),
                title=f"{YEAR}年第{quarter}季工合需求項目初審會議",
                members=profiles,
                round=call,
                actor=office,
            )
            in_round = list(DemandItem.objects.filter(round=call).order_by("pk"))
            held = 0
            for item in in_round:
                outcome, filed = plans[item.pk]
                letter = outcome[quarter - filed]
                n += 1
                if letter != "-":
                    _score(item, letter, n, reviewers)
                if letter == "H":
                    services.item_hold(item=item, actor=office)
                    held += 1
            services.round_close_scoring(round=call, actor=office)
            counts = dict.fromkeys(Classification.values, 0)
            for item in DemandItem.objects.filter(round=call, panel_score__isnull=False):
                counts[item.classification] += 1
                if item.classification in (Classification.PRIORITY, Classification.GENERAL):
                    passed = item.title_zh != NOT_PASSED
                    services.item_second_review(item=item, passed=passed, actor=office)
                    if passed:
                        services.item_publish(item=item, actor=office)
            lines.append(
                f"  {call}: {sum(counts.values()) + held} scored → "
                f"{counts[Classification.PRIORITY]} priority, "
                f"{counts[Classification.GENERAL]} general, {held} held, "
                f"{counts[Classification.EXCLUDED]} not included"
            )
    public = DemandItem.objects.public().count()
    return [
        f"Demand items: 4 rounds of {YEAR}, {DemandItem.objects.count()} items, "
        f"{public} passed and published:",
        *lines,
    ]
