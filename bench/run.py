"""Every benchmark figure in one table (what ``make bench`` prints).

    python -m bench.run [--scales 1 10] [--seconds 15] [--requests 40] [--packet]

For each scale, runs ``bench.balances`` (the balance API against its floor, over HTTP with
gunicorn) and ``bench.pages`` (the staff pages and the minutes approval, in-process), each
in its own process (each scale is its own database), and with ``--packet`` the meeting
packet benchmark once; then prints one table: per figure and scale, requests/s, p50 and
p95 in ms, queries per request, and the ratio to the floor where there is one (floor
requests/s ÷ portal requests/s: below 1 the portal is faster). ``--json FILE`` also keeps
every figure as JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGE_LABELS = {
    "office_home": "page: office home",
    "agreement_list": "page: agreement list",
    "case_queue": "page: case work queue",
    "case_queue_reports_overdue": "page: work queue, reports overdue",
    "case_page": "page: a case",
    "meeting_page_30_items": "page: meeting of 30 items",
    "statistics": "page: statistics",
    "bill_list": "page: bill list",
    "minutes_approval_50": "minutes approval, 50 decisions",
}


def _run(module: str, *args: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(output[output.index("{") :])


# A balance variant's label, and its ratio's key in ``ratio_to_floor`` (None: a floor).
VARIANTS = {
    "portal": ("portal", "requests_per_second"),
    "floor": ("floor", None),
    "portal_current": ("portal, current", "current"),
    "floor_current": ("floor, current", None),
    "portal_304": ("portal, If-None-Match → 304", "304"),
}


def _rows(scale: int, balances: dict, pages: dict) -> list[tuple]:
    rows = []
    for name, figures in balances["results"].items():
        label = {"balances": "API /balances/ (page 500)"}.get(name, "API /agreements/{id}/balance/")
        for variant, (suffix, ratio_key) in VARIANTS.items():
            values = figures.get(variant)
            if values is None:
                continue
            rows.append(
                (
                    f"{label} {suffix}",
                    scale,
                    values["requests_per_second"],
                    values["p50_ms"],
                    values["p95_ms"],
                    values.get("queries_per_request"),
                    figures["ratio_to_floor"].get(ratio_key) if ratio_key else None,
                )
            )
    for name, values in pages["results"].items():
        rows.append(
            (
                PAGE_LABELS.get(name, name),
                scale,
                None,
                values["p50_ms"],
                values["p95_ms"],
                values["queries"],
                None,
            )
        )
    return rows


def _table(rows: list[tuple], data: dict[int, dict]) -> str:
    def cell(value, width, digits=1):
        if value is None:
            return f"{'–':>{width}}"
        if isinstance(value, float):
            return f"{value:>{width}.{digits}f}"
        return f"{value:>{width}}"

    head = f"{'figure':<52}{'scale':>6}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'queries':>8}"
    lines = [head + f"{'ratio':>7}", "-" * (len(head) + 7)]
    for name, scale, rps, p50, p95, queries, ratio in sorted(rows, key=lambda r: (r[0], r[1])):
        lines.append(
            f"{name:<52}{cell(f'{scale}×', 6)}{cell(rps, 9)}{cell(p50, 9)}{cell(p95, 9)}"
            f"{cell(queries, 8)}{cell(ratio, 7, 2)}"
        )
    lines.append("")
    for scale, sizes in sorted(data.items()):
        lines.append(
            f"{scale}×: {sizes.get('agreements')} agreements, {sizes.get('ledger_entries')} "
            f"ledger entries, {sizes.get('cases')} cases, {sizes.get('bills')} bills "
            f"(built in {sizes.get('build_seconds', 0) + sizes.get('pages_build_seconds', 0)} s "
            "this run; 0 = reused)"
        )
    lines.append(
        "ratio = floor req/s ÷ portal req/s in the same run (below 1: the portal is faster), "
        "dated to dated, current to current, 304 to the floor's dated; pages in-process "
        "(no network), API over HTTP with gunicorn, variants in alternating rounds."
    )
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1])
    parser.add_argument("--seconds", default="15", help="per API endpoint and side")
    parser.add_argument("--requests", default="40", help="per page")
    parser.add_argument("--packet", action="store_true", help="also the meeting packet")
    parser.add_argument("--json", help="write every figure here too")
    args = parser.parse_args(argv)

    rows, data, raw = [], {}, {}
    for scale in args.scales:
        balances = _run("bench.balances", "--scale", str(scale), "--seconds", args.seconds)
        pages = _run("bench.pages", "--scale", str(scale), "--requests", args.requests)
        rows += _rows(scale, balances, pages)
        data[scale] = balances["data"] | pages["data"]
        raw[scale] = {"balances": balances, "pages": pages}
    table = _table(rows, data)
    if args.packet:
        packet = _run("bench.packet", "--json")
        raw["packet"] = packet
        build, copy = packet["build"], packet["member_copy"]
        table += (
            f"\npacket of {packet['cases']} cases: build {build['seconds_median']:.2f} s "
            f"({build['peak_mb_max']:.0f} MB peak, {build['pages']} pages), member copy "
            f"{copy['seconds_median']:.2f} s ({copy['peak_mb_max']:.0f} MB peak)"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(raw, indent=2, ensure_ascii=False))
    print(table)


if __name__ == "__main__":
    main()
