"""Translation checks for `make test`, and compiling the catalogue without system gettext.

    python -m khuyencong.core.i18n_check locale/vi/LC_MESSAGES/django.po           # check
    python -m khuyencong.core.i18n_check locale/vi/LC_MESSAGES/django.po --compile # write django.mo

The check fails when the code has a msgid the catalogue lacks (found by running makemessages on a scratch copy of
the tree), when an entry is untranslated or fuzzy, when a translation drops or adds a %(placeholder)s, or when the
committed .mo is not the compiled .po.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
_COPY = ["manage.py", "config", "khuyencong", "templates", "locale"]


def _compiled(po: polib.POFile) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "django.mo"
        po.save_as_mofile(str(target))
        return target.read_bytes()


def _extracted_msgids() -> set[str]:
    """The msgids makemessages finds in the code today, without touching the working tree."""
    with tempfile.TemporaryDirectory() as tmp:
        for name in _COPY:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, Path(tmp) / name, ignore=shutil.ignore_patterns("__pycache__", "data"))
            else:
                shutil.copy2(source, Path(tmp) / name)
        subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location", "--no-obsolete", "-v0"],
            cwd=tmp,
            check=True,
            capture_output=True,
        )
        po = polib.pofile(str(Path(tmp) / "locale/vi/LC_MESSAGES/django.po"))
        return {entry.msgid for entry in po if not entry.obsolete}


def check(path: Path) -> list[str]:
    problems = []
    po = polib.pofile(str(path))
    known = {entry.msgid for entry in po if not entry.obsolete}
    for msgid in sorted(_extracted_msgids() - known):
        problems.append(f"not in the catalogue (run `make translations`): {msgid!r}")
    if po.metadata_is_fuzzy:
        problems.append("the catalogue header is marked fuzzy (its Plural-Forms would be ignored)")
    for entry in po:
        if entry.obsolete:
            problems.append(f"obsolete entry: {entry.msgid!r}")
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(translations):
            problems.append(f"untranslated: {entry.msgid!r}")
            continue
        expected = sorted(set(_PLACEHOLDER.findall(entry.msgid)))
        for text in translations:
            if sorted(set(_PLACEHOLDER.findall(text))) != expected:
                problems.append(f"placeholders differ: {entry.msgid!r} → {text!r}")
    mo = path.with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != _compiled(po):
        problems.append(f"{mo} is not the compiled catalogue (run `make translations`)")
    return problems


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    if "--compile" in argv:
        po = polib.pofile(str(path))
        path.with_suffix(".mo").write_bytes(_compiled(po))
        return 0
    problems = check(path)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{path}: complete")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
