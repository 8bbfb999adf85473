"""The payment notice (繳款通知書) of a feedback-fee bill, as a PDF."""

from __future__ import annotations

from feedback.models import Bill
from feedback.selectors import bill_steps, office_block
from icp_portal.lib.pdf import render_pdf


def payment_notice_pdf(bill: Bill) -> bytes:
    """The notice for ``bill``: bilingual headings, the calculation line by line."""
    office = office_block()
    steps = bill_steps(bill=bill)
    context = {
        "bill": bill,
        "office": office,
        "payments": list(bill.payments.order_by("paid_on", "id")),
        "rate_permille": bill.rate * 1000,
        "share": steps["share"],
        "fee_points": steps["fee_points"],
    }
    return render_pdf("pdf/payment_notice.html", context, language="zh-hant")
