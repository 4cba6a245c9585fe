"""Compile the interface translations: resources/i18n/*.ts -> *.qm (Qt's lrelease).

Run by `make run`, `make test` and the packaging build. `--update` first refreshes the
baozhi_*.ts sources from the tr() calls in app/ui (lupdate), keeping existing translations and
dropping those no longer used; qtbase_extra_*.ts (Qt's own strings that its translation lacks) is
kept by hand.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"


def _tool(name: str) -> str:
    exe = Path(sys.executable).parent / name
    return str(exe) if exe.exists() else name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", help="refresh the .ts files from the sources first")
    args = parser.parse_args(argv)
    sources = sorted(I18N.glob("*.ts"))
    if args.update:  # only our own strings: qtbase_extra_*.ts holds Qt's, written by hand
        ui = sorted(str(p) for p in (ROOT / "app" / "ui").rglob("*.py"))
        for ts in sources:
            if ts.name.startswith("baozhi_"):
                subprocess.run([_tool("pyside6-lupdate"), *ui, "-ts", str(ts), "-locations", "none", "-no-obsolete"],
                               check=True)
    for ts in sources:
        qm = ts.with_suffix(".qm")
        if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            continue
        subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
        print(f"translations: {qm.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
