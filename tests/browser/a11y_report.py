"""Print axe-core's count of WCAG 2.2 AA violations on every page a user of the studio sees.

    .venv/bin/python tests/browser/a11y_report.py [--only files|app|dashboards|lab ...] [--json]

Serious and critical violations are the target (zero on every page); the browser test
``test_accessibility_browser.py`` fails when one appears. See tests/browser/_a11y.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.browser import _a11y
from tests.browser._chromium import launch_chromium


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=["files", "app", "dashboards", "lab"])
    parser.add_argument("--json", action="store_true", help="every violation, as JSON")
    args = parser.parse_args()
    if not _a11y.AXE.is_file():
        print(f"axe-core is missing: npm install --prefix .ci/node axe-core@4 ({_a11y.AXE})")
        return 2
    from playwright.sync_api import sync_playwright

    only = set(args.only or ["files", "app", "dashboards", "lab"])
    report = _a11y.Report()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        home = Path(tmp)
        browser = launch_chromium(p)
        try:
            if "files" in only:
                _a11y.visit_files(browser, home / "files", report)
            if "app" in only:
                _a11y.visit_app_mode(browser, home, report, lambda _p, _n: None)
            if "dashboards" in only:
                _a11y.visit_dashboards(browser, home / "dashboards", report)
            if "lab" in only:
                _a11y.visit_jupyterlab(browser, home, report)
        finally:
            browser.close()
    print(_a11y.to_json(report) if args.json else report.table())
    serious = report.serious()
    for name, found in serious.items():
        for v in found:
            print(f"{name}: {v['impact']} {v['id']} ({v['nodes']} nodes): {v['help']} {v['where']}")
    return 1 if serious else 0


if __name__ == "__main__":
    sys.exit(main())
