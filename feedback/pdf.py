"""The payment notice (繳款通知書) of a feedback-fee bill, as a PDF."""

from __future__ import annotations

from django.conf import settings

from feedback.models import Bill
from feedback.selectors import bill_steps
from icp_portal.lib.pdf import render_pdf

# The office's details printed on every notice (from settings, so they can change).
OFFICE = {
    "name_zh": "經濟部產業發展署 工業合作推動小組",
    "name_en": "Industrial Cooperation Program Office, Ministry of Economic Affairs",
    "address": "10015 臺北市中正區信義路三段41之3號",
    "phone": "(02) 2754-1255",
    "account": "中央銀行國庫局 經濟部產業發展署工業合作回饋金專戶",
}


def payment_notice_pdf(bill: Bill) -> bytes:
    """The notice for ``bill``: bilingual headings, the calculation line by line."""
    office = {**OFFICE, **getattr(settings, "ICP_OFFICE", {})}
    steps = bill_steps(bill)
    context = {
        "bill": bill,
        "office": office,
        "payments": list(bill.payments.order_by("paid_on", "id")),
        "rate_permille": bill.rate * 1000,
        "share": steps["share"],
        "fee_points": steps["fee_points"],
    }
    return render_pdf("pdf/payment_notice.html", context, language="zh-hant")
