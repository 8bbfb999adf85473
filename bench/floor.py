"""The floor of the balance benchmark: the same numbers as /api/v1/balances/ from one
hand-written SQL aggregate, returned as JSON with nothing else (no auth, no framework).
Whatever the portal costs above this is the price of DRF, visibility, filters and auth."""

from datetime import date

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse

SQL = """
SELECT a.id, a.contractor_id, a.currency,
  COALESCE(SUM(e.amount) FILTER (WHERE e.applies_to = 'obligation'), 0) AS obligation,
  COALESCE(SUM(e.amount) FILTER (WHERE e.applies_to = 'reserve'), 0)
    - COALESCE(SUM(e.amount) FILTER (WHERE e.applies_to = 'release'), 0) AS reserved,
  COALESCE(SUM(e.amount) FILTER (WHERE e.applies_to IN ('actual', 'bank_draw')), 0)
    - COALESCE(SUM(e.amount) FILTER (WHERE e.applies_to = 'retention'), 0) AS discharged,
  COALESCE(SUM(CASE WHEN e.use IN ('direct_defence', 'indirect_defence') THEN
    CASE e.applies_to WHEN 'reserve' THEN e.amount WHEN 'actual' THEN e.amount
      WHEN 'bank_draw' THEN e.amount WHEN 'release' THEN -e.amount
      WHEN 'retention' THEN -e.amount ELSE 0 END END), 0) AS defence
FROM agreements_agreement a
LEFT JOIN agreements_creditentry e ON e.agreement_id = a.id AND e.effective_on <= %s
{where}
GROUP BY a.id
ORDER BY a.id
LIMIT %s
"""


def _rows(where: str, params: list, as_of: date, limit: int) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(SQL.format(where=where), [as_of, *params, limit])
        rows = cursor.fetchall()
    result = []
    for agreement_id, contractor_id, currency, obligation, reserved, discharged, defence in rows:
        used = reserved + discharged
        result.append(
            {
                "agreement": agreement_id,
                "contractor": contractor_id,
                "currency": currency,
                "as_of": as_of.isoformat(),
                "obligation": f"{obligation:.2f}",
                "reserved": f"{reserved:.2f}",
                "discharged": f"{discharged:.2f}",
                "outstanding": f"{obligation - discharged:.2f}",
                "available": f"{obligation - discharged - reserved:.2f}",
                "defence_share": f"{defence / used:.4f}" if used else None,
            }
        )
    return result


def _as_of(request) -> date:
    raw = request.GET.get("as_of")
    return date.fromisoformat(raw) if raw else date.today()


@login_not_required
def balances(request):
    limit = min(int(request.GET.get("page_size", 500)), 500)
    return JsonResponse({"results": _rows("", [], _as_of(request), limit)})


@login_not_required
def agreement_balance(request, pk):
    (row,) = _rows("WHERE a.id = %s", [pk], _as_of(request), 1)
    return JsonResponse(row)
