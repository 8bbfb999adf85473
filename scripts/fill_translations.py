"""Fill msgstr of locale/zh_Hant from a {msgid: msgstr} module; report what is missing.

Usage: python scripts/fill_translations.py TRANSLATIONS.py
(needs polib: pip install polib). The .po file stays the source of truth.
"""

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale/zh_Hant/LC_MESSAGES/django.po"

table = runpy.run_path(sys.argv[1])
po = polib.pofile(str(PO))
missing = []
for entry in po:
    filled = False
    if entry.msgid_plural:
        text = table.get("PLURAL", {}).get(entry.msgid)
        if text:
            entry.msgstr_plural = {0: text}
            filled = True
    elif entry.msgctxt and (entry.msgctxt, entry.msgid) in table.get("CTX", {}):
        entry.msgstr = table["CTX"][(entry.msgctxt, entry.msgid)]
        filled = True
    elif not entry.msgctxt and entry.msgid in table["T"]:
        entry.msgstr = table["T"][entry.msgid]
        filled = True
    if filled and "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    if "fuzzy" in entry.flags or not (entry.msgstr or entry.msgstr_plural.get(0)):
        missing.append(entry.msgid)
po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
po.metadata["Language"] = "zh_Hant"
po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
for obsolete in po.obsolete_entries():
    po.remove(obsolete)
po.metadata_is_fuzzy = False
po.metadata["Project-Id-Version"] = "icp-portal"
po.save()
print(f"{len(missing)} untranslated", *missing, sep="\n")
