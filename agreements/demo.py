"""Demo procurements, agreements and ledgers around the 2011 program year.

From the 2011 final report: the 8 agreements signed in 2011 (about 2.11億 USD pts, e.g.
傾斜式電聯車136輛 with 住友商事, 臺中捷運烏日文心北屯線機電系統 with 川崎重工 and
阿爾斯通, 空調通勤電聯車296輛) and their briefings; older defence agreements (Boeing,
Raytheon, Lockheed Martin, Sikorsky) and civil ones (台北捷運, 桃園機場捷運) signed before
2012, with credit already reserved and discharged, and a legacy bank (Boeing's 1988 China
Airlines agreement, the program's first, closed with retention). Multiplier standards as
reported for Taiwan's program: training 1×, domestic procurement 2×, technology transfer
15–20×. Contract values and obligations are realistic, not the confidential figures.

Idempotent: an agreement is created (and its ledger posted) only when its number is new.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from agreements import services
from agreements.choices import AgreementStatus, CaseUse, EntryKind, Mode, PointsCurrency
from agreements.models import (
    Agreement,
    Briefing,
    CreditBank,
    CreditEntry,
    MultiplierStandard,
    PlanItem,
    Procurement,
)
from organizations.choices import OrganizationKind
from organizations.models import Organization
from organizations.services import system_user

D = Decimal
USD, TWD = PointsCurrency.USD_PTS, PointsCurrency.TWD_PTS
DD, ID, IN = CaseUse.DIRECT_DEFENCE, CaseUse.INDIRECT_DEFENCE, CaseUse.INDUSTRY

# Multiplier standards reported for Taiwan's program (domain.md §10).
STANDARDS = [
    (Mode.TRAINING, "1.00", "1.00"),
    (Mode.DOMESTIC_PROCUREMENT, "2.00", "2.00"),
    (Mode.TECHNOLOGY_TRANSFER, "15.00", "20.00"),
]

# number, agency (name_zh), contractor (name_zh), procurement zh / en, contract value and
# currency, contract signed, points currency, obligation, agreement signed, execution end,
# defence ratio, plan items, briefings, ledger [(kind, amount, effective, use, note)].
AGREEMENTS = [
    {
        "number": "ICP-1988-001",
        "agency": "中華航空公司",
        "contractor": "波音公司",
        "title": ("華航波音747-400客機購機案", "China Airlines Boeing 747-400 purchase"),
        "contract": ("1200000000.00", "USD", date(1988, 6, 1)),
        "currency": USD,
        "obligation": "200000000.00",
        "signed": date(1988, 9, 1),
        "ends": date(1998, 8, 31),
        "ratio": None,
        "status": AgreementStatus.COMPLETED,
        "plan": [(Mode.DOMESTIC_PROCUREMENT, "國內航太零組件採購")],
        "briefings": [(date(1988, 11, 15), "華航購機案工業合作說明會")],
        "ledger": [
            (EntryKind.RESERVE, "195000000.00", date(1990, 3, 1), IN, "歷年預核個案（結轉）"),
            (EntryKind.RELEASE, "195000000.00", date(1997, 12, 1), IN, "實核時釋放保留額度"),
            (EntryKind.ACTUAL, "212000000.00", date(1997, 12, 1), IN, "歷年實核個案（結轉）"),
            (EntryKind.RETENTION, "12000000.00", date(1998, 9, 1), "", "結案暨額度留存"),
        ],
    },
    {
        "number": "ICP-2001-007",
        "agency": "臺北市政府捷運工程局",
        "contractor": "阿爾斯通交通運輸公司",
        "title": ("新莊蘆洲等線機電系統採購案", "Xinzhuang-Luzhou lines E&M systems"),
        "contract": ("16000000000.00", "TWD", date(2001, 3, 20)),
        "currency": TWD,
        "obligation": "4800000000.00",
        "signed": date(2001, 6, 1),
        "ends": date(2013, 12, 31),
        "ratio": None,
        "plan": [
            (Mode.TECHNOLOGY_TRANSFER, "通訊及數位無線電系統技術移轉"),
            (Mode.DOMESTIC_PROCUREMENT, "軌道系統國內採購"),
        ],
        "briefings": [(date(2001, 8, 20), "新莊蘆洲線機電系統工業合作招商說明會")],
        "ledger": [
            (EntryKind.RESERVE, "3100000000.00", date(2005, 6, 1), IN, "歷年預核個案（結轉）"),
            (EntryKind.RELEASE, "2400000000.00", date(2010, 6, 1), IN, "實核時釋放保留額度"),
            (EntryKind.ACTUAL, "2400000000.00", date(2010, 6, 1), IN, "歷年實核個案（結轉）"),
        ],
    },
    {
        "number": "ICP-2003-009",
        "agency": "國防部軍備局",
        "contractor": "雷神公司",
        "title": ("鷹式飛彈系統性能提升案", "Improved HAWK air defence system upgrade"),
        "contract": ("375000000.00", "USD", date(2003, 3, 14)),
        "currency": USD,
        "obligation": "150000000.00",
        "signed": date(2003, 6, 20),
        "ends": date(2013, 6, 19),
        "ratio": None,
        "plan": [
            (Mode.DOMESTIC_PROCUREMENT, "飛彈系統零組件國內採購"),
            (Mode.TECHNOLOGY_TRANSFER, "鷹式飛彈維修技術移轉"),
        ],
        "briefings": [(date(2003, 8, 28), "鷹式飛彈性能提升案工業合作招商說明會")],
        # Nearly discharged: the 2011 replay's last case overshoots and is closed with
        # credit retention (committee/demo.py).
        "ledger": [
            (EntryKind.RESERVE, "121500000.00", date(2005, 5, 1), ID, "歷年預核個案（結轉）"),
            (EntryKind.RELEASE, "121500000.00", date(2009, 6, 1), ID, "實核時釋放保留額度"),
            (EntryKind.ACTUAL, "121500000.00", date(2009, 6, 1), ID, "歷年實核個案（結轉）"),
        ],
    },
    {
        "number": "ICP-2004-010",
        "agency": "臺北市政府捷運工程局",
        "contractor": "川崎重工業株式會社",
        "title": ("臺北捷運C371型電聯車增購案", "Taipei MRT C371 EMU additional cars"),
        "contract": ("450000000.00", "USD", date(2004, 7, 15)),
        "currency": USD,
        "obligation": "180000000.00",
        "signed": date(2004, 10, 1),
        "ends": date(2014, 9, 30),
        "ratio": None,
        "plan": [
            (Mode.TECHNOLOGY_TRANSFER, "航太複材結構件製造技術移轉"),
            (Mode.DOMESTIC_PROCUREMENT, "航太零組件國內採購"),
            (Mode.TECHNOLOGY_TRANSFER, "大型風力發電機齒輪箱設計技術移轉"),
            (Mode.TRAINING, "風力發電機組運轉維護人員訓練"),
        ],
        "briefings": [(date(2004, 12, 10), "C371型電聯車增購案工業合作招商說明會")],
        "ledger": [
            (EntryKind.RESERVE, "30000000.00", date(2006, 4, 1), IN, "歷年預核個案（結轉）"),
            (EntryKind.RELEASE, "30000000.00", date(2009, 10, 1), IN, "實核時釋放保留額度"),
            (EntryKind.ACTUAL, "30000000.00", date(2009, 10, 1), IN, "歷年實核個案（結轉）"),
        ],
    },
    {
        "number": "ICP-2006-003",
        "agency": "交通部高速鐵路工程局",
        "contractor": "川崎重工業株式會社",
        "title": (
            "臺灣桃園國際機場聯外捷運系統建設計畫機電系統採購案",
            "Taoyuan International Airport MRT E&M systems",
        ),
        "contract": ("700000000.00", "USD", date(2006, 6, 30)),
        "currency": USD,
        "obligation": "210000000.00",
        "signed": date(2006, 9, 15),
        "ends": date(2016, 12, 31),
        "ratio": None,
        "plan": [
            (Mode.DOMESTIC_PROCUREMENT, "電聯車零組件國內採購"),
            (Mode.TRAINING, "軌道車輛維修人員訓練"),
        ],
        "briefings": [(date(2006, 11, 30), "機場捷運機電系統工業合作招商說明會")],
        "ledger": [
            (EntryKind.RESERVE, "120000000.00", date(2008, 3, 1), IN, "歷年預核個案（結轉）"),
            (EntryKind.RELEASE, "45000000.00", date(2010, 9, 1), IN, "實核時釋放保留額度"),
            (EntryKind.ACTUAL, "45000000.00", date(2010, 9, 1), IN, "歷年實核個案（結轉）"),
        ],
    },
    {
        "number": "ICP-2008-009",
        "agency": "臺北市政府捷運工程局",
        "contractor": "川崎重工業株式會社",
        "title": (
            "信義線及松山線機電系統工程採購案",
            "Xinyi and Songshan lines E&M systems (Kawasaki / Marubeni / CTCI)",
        ),
        "contract": ("21000000000.00", "TWD", date(2008, 4, 30)),
        "currency": TWD,
        "obligation": "4200000000.00",
        "signed": date(2008, 6, 27),
        "ends": date(2016, 12, 31),
        "ratio": None,
        "plan": [
            (Mode.DOMESTIC_PROCUREMENT, "電聯車車體及轉向架國內製造"),
            (Mode.TECHNOLOGY_TRANSFER, "號誌及通訊系統技術移轉"),
            (Mode.TRAINING, "捷運機電維修人員訓練"),
        ],
        "briefings": [(date(2008, 9, 10), "信義線及松山線機電系統工業合作招商說明會")],
        "ledger": [
            (EntryKind.RESERVE, "1350000000.00", date(2009, 12, 1), IN, "歷年預核個案（結轉）"),
        ],
    },
    {
        "number": "ICP-2008-011",
        "agency": "國防部軍備局",
        "contractor": "波音公司",
        "title": ("AH-64E阿帕契攻擊直升機採購案", "AH-64E Apache attack helicopters"),
        "contract": ("2532000000.00", "USD", date(2008, 10, 3)),
        "currency": USD,
        "obligation": "1012800000.00",
        "signed": date(2008, 12, 20),
        "ends": date(2020, 12, 31),
        "ratio": None,
        "plan": [
            (Mode.TECHNOLOGY_TRANSFER, "航太扣件供應商認證與精簡製造技術"),
            (Mode.DOMESTIC_PROCUREMENT, "787型客機機製與複材零組件採購"),
            (Mode.TRAINING, "直升機維修人員訓練"),
        ],
        "briefings": [(date(2009, 2, 24), "波音公司工業合作招商說明會")],
        "ledger": [
            (EntryKind.RESERVE, "420000000.00", date(2009, 9, 1), ID, "歷年預核個案（結轉）"),
            (EntryKind.RESERVE, "95000000.00", date(2010, 6, 1), IN, "歷年預核個案（結轉）"),
            (EntryKind.RELEASE, "180000000.00", date(2010, 12, 1), ID, "實核時釋放保留額度"),
            (EntryKind.ACTUAL, "180000000.00", date(2010, 12, 1), ID, "歷年實核個案（結轉）"),
            (EntryKind.BANK_DRAW, "5000000.00", date(2010, 12, 15), ID, "動用華航案留存額度"),
        ],
    },
    {
        "number": "ICP-2009-004",
        "agency": "國防部軍備局",
        "contractor": "雷神公司",
        "title": ("愛國者三型飛彈系統採購案", "Patriot PAC-3 air defence system"),
        "contract": ("2810000000.00", "USD", date(2009, 5, 12)),
        "currency": USD,
        "obligation": "1124000000.00",
        "signed": date(2009, 8, 1),
        "ends": date(2021, 7, 31),
        "ratio": None,
        "plan": [
            (Mode.TECHNOLOGY_TRANSFER, "光電設控維修能量建立"),
            (Mode.DOMESTIC_INVESTMENT, "綠色機房(GDC)節能資料整合中心"),
            (Mode.TECHNOLOGY_TRANSFER, "燃料電池發電機技術移轉"),
        ],
        "briefings": [(date(2009, 10, 20), "雷神公司工業合作招商說明會")],
        "ledger": [
            (EntryKind.RESERVE, "510000000.00", date(2010, 3, 1), DD, "歷年預核個案（結轉）"),
            (EntryKind.RELEASE, "230000000.00", date(2010, 11, 1), DD, "實核時釋放保留額度"),
            (EntryKind.ACTUAL, "230000000.00", date(2010, 11, 1), DD, "歷年實核個案（結轉）"),
            (EntryKind.RESERVE, "140000000.00", date(2010, 11, 1), IN, "歷年預核個案（結轉）"),
        ],
    },
    {
        "number": "ICP-2010-002",
        "agency": "國防部軍備局",
        "contractor": "洛克希德馬丁公司",
        "title": ("愛國者三型飛彈採購案", "PAC-3 missiles"),
        "contract": ("1100000000.00", "USD", date(2010, 1, 29)),
        "currency": USD,
        "obligation": "440000000.00",
        "signed": date(2010, 4, 15),
        "ends": date(2022, 4, 14),
        "ratio": None,
        "plan": [
            (Mode.DOMESTIC_INVESTMENT, "來台投資設立維修中心"),
            (Mode.TECHNOLOGY_TRANSFER, "海洋能發電技術"),
        ],
        "briefings": [(date(2010, 6, 30), "洛馬公司工業合作招商說明會")],
        "ledger": [
            (EntryKind.RESERVE, "160000000.00", date(2010, 12, 1), DD, "歷年預核個案（結轉）"),
        ],
    },
    {
        "number": "ICP-2011-001",
        "agency": "國防部軍備局",
        "contractor": "塞考斯基公司",
        "title": ("UH-60M黑鷹直升機採購案", "UH-60M Black Hawk helicopters"),
        "contract": ("1200000000.00", "USD", date(2010, 12, 28)),
        "currency": USD,
        "obligation": "20000000.00",
        "signed": date(2011, 2, 18),
        "ends": date(2023, 2, 17),
        "ratio": "0.5000",
        "plan": [(Mode.TECHNOLOGY_TRANSFER, "直升機複材組件維修技術")],
        "briefings": [],  # none held: the portal flags it overdue
        "ledger": [],
    },
    {
        "number": "ICP-2011-002",
        "agency": "國防部軍備局",
        "contractor": "奇異公司",
        "title": ("T700發動機採購案", "T700 engines"),
        "contract": ("150000000.00", "USD", date(2011, 3, 10)),
        "currency": USD,
        "obligation": "15000000.00",
        "signed": date(2011, 5, 6),
        "ends": date(2021, 5, 5),
        "ratio": "0.5000",
        "plan": [(Mode.TRAINING, "發動機維修人員訓練")],
        "briefings": [(date(2011, 8, 12), "奇異公司技術能量說明會")],
        "ledger": [],
    },
    {
        "number": "ICP-2011-003",
        "agency": "交通部臺灣鐵路管理局",
        "contractor": "豐田通商株式會社",
        "title": ("空調通勤電聯車296輛採購案", "296 air-conditioned commuter EMU cars"),
        "contract": ("11000000000.00", "TWD", date(2011, 4, 28)),
        "currency": USD,
        "obligation": "55000000.00",
        "signed": date(2011, 6, 10),
        "ends": date(2018, 12, 31),
        "ratio": None,
        "plan": [(Mode.DOMESTIC_PROCUREMENT, "電聯車車體國內製造（台灣車輛）")],
        "briefings": [(date(2011, 8, 12), "空調通勤電聯車296輛招商說明會")],
        "ledger": [],
    },
    {
        "number": "ICP-2011-004",
        "agency": "交通部臺灣鐵路管理局",
        "contractor": "住友商事株式會社",
        "title": ("傾斜式電聯車136輛採購案", "136 tilting EMU cars"),
        "contract": ("10800000000.00", "TWD", date(2011, 5, 30)),
        "currency": USD,
        "obligation": "62000000.00",
        "signed": date(2011, 7, 15),
        "ends": date(2016, 12, 31),
        "ratio": None,
        "plan": [
            (Mode.DOMESTIC_PROCUREMENT, "空調、照明及電子手冊採購"),
            (Mode.TRAINING, "傾斜式列車維修訓練"),
        ],
        "briefings": [(date(2011, 9, 2), "傾斜式電聯車136輛招商說明會")],
        "ledger": [],
    },
    {
        "number": "ICP-2011-005",
        "agency": "臺中市政府捷運工程局",
        "contractor": "川崎重工業株式會社",
        "title": ("臺中捷運烏日文心北屯線機電系統採購案", "Taichung MRT Green Line E&M systems"),
        "contract": ("17000000000.00", "TWD", date(2011, 8, 30)),
        "currency": USD,
        "obligation": "38000000.00",
        "signed": date(2011, 10, 20),
        "ends": date(2019, 12, 31),
        "ratio": None,
        "plan": [(Mode.DOMESTIC_PROCUREMENT, "電聯車零組件國內採購")],
        "briefings": [(date(2011, 12, 16), "臺中捷運烏日文心北屯線機電系統招商說明會")],
        "ledger": [],
    },
    {
        "number": "ICP-2011-006",
        "agency": "臺中市政府捷運工程局",
        "contractor": "阿爾斯通交通運輸公司",
        "title": ("臺中捷運烏日文心北屯線機電系統採購案", "Taichung MRT Green Line E&M systems"),
        "contract": ("17000000000.00", "TWD", date(2011, 8, 30)),
        "currency": USD,
        "obligation": "21000000.00",
        "signed": date(2011, 10, 20),
        "ends": date(2019, 12, 31),
        "ratio": None,
        "plan": [(Mode.TECHNOLOGY_TRANSFER, "號誌系統技術移轉")],
        "briefings": [(date(2011, 12, 16), "臺中捷運烏日文心北屯線機電系統招商說明會")],
        "ledger": [],
    },
]

# Legacy banks carried over from before 2012 (pre-stored 預存 credit).
BANKS = [("雷神公司", USD, "12500000.00", date(2011, 12, 31), "預存額度（101年前）")]


def _organization(kind, name_zh) -> Organization:
    return Organization.objects.get(kind=kind, name_zh=name_zh)


def _procurement(spec, actor) -> Procurement:
    agency = _organization(OrganizationKind.PROCURING_AGENCY, spec["agency"])
    title_zh, title_en = spec["title"]
    value, currency, signed = spec["contract"]
    existing = Procurement.objects.filter(agency=agency, title_zh=title_zh).first()
    return existing or services.procurement_create(
        actor=actor,
        agency=agency,
        title_zh=title_zh,
        title_en=title_en,
        contract_value=D(value),
        contract_currency=currency,
        contract_signed_on=signed,
    )


def _post_ledger(agreement, ledger, actor):
    post = {
        EntryKind.RESERVE: services.credit_reserve,
        EntryKind.RELEASE: services.credit_release,
        EntryKind.ACTUAL: services.credit_post_actual,
    }
    for kind, amount, effective_on, use, note in ledger:
        if kind == EntryKind.RETENTION:
            services.credit_retain(
                agreement=agreement,
                amount=D(amount),
                effective_on=effective_on,
                actor=actor,
                note=note,
            )
        elif kind == EntryKind.BANK_DRAW:
            services.credit_bank_draw(
                agreement=agreement,
                amount=D(amount),
                effective_on=effective_on,
                actor=actor,
                note=note,
            )
        else:
            post[kind](
                agreement=agreement,
                amount=D(amount),
                effective_on=effective_on,
                use=use,
                actor=actor,
                note=note,
            )


@transaction.atomic
def seed() -> list[str]:
    actor = system_user()
    for contractor_zh, currency, opening, as_of, note in BANKS:
        contractor = _organization(OrganizationKind.FOREIGN_CONTRACTOR, contractor_zh)
        if not CreditBank.objects.filter(contractor=contractor, currency=currency).exists():
            services.credit_bank_open(
                contractor=contractor,
                currency=currency,
                opening_balance=D(opening),
                opening_as_of=as_of,
                actor=actor,
                note=note,
            )
    created = 0
    for spec in AGREEMENTS:
        if Agreement.objects.filter(number=spec["number"]).exists():
            continue
        contractor = _organization(OrganizationKind.FOREIGN_CONTRACTOR, spec["contractor"])
        agreement = services.agreement_create(
            actor=actor,
            number=spec["number"],
            procurement=_procurement(spec, actor),
            contractor=contractor,
            currency=spec["currency"],
            obligation=D(spec["obligation"]),
            signed_on=spec["signed"],
            execution_ends_on=spec["ends"],
            defence_ratio_min=D(spec["ratio"]) if spec["ratio"] else None,
            status=spec.get("status", AgreementStatus.IN_EXECUTION),
        )
        created += 1
        for mode, low, high in STANDARDS:
            if not MultiplierStandard.objects.filter(agreement=agreement, mode=mode).exists():
                services.multiplier_standard_set(
                    agreement=agreement,
                    mode=mode,
                    min_multiplier=D(low),
                    max_multiplier=D(high),
                    effective_from=spec["signed"],
                    actor=actor,
                )
        for mode, title in spec["plan"]:
            if not PlanItem.objects.filter(agreement=agreement, title=title).exists():
                services.plan_item_add(agreement=agreement, mode=mode, title=title, actor=actor)
        for held_on, title in spec["briefings"]:
            if not Briefing.objects.filter(agreement=agreement, held_on=held_on).exists():
                services.briefing_record(
                    agreement=agreement, held_on=held_on, title=title, actor=actor
                )
        _post_ledger(agreement, spec["ledger"], actor)
    return [
        f"Agreements: {Agreement.objects.count()} ({created} new), "
        f"ledger entries: {CreditEntry.objects.count()}."
    ]
