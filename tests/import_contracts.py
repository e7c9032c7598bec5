"""An import-linter contract the library does not ship: outer packages use only public names.

`lint-imports` loads it from the `contract_types` line in pyproject.toml (it puts the working
directory on the path, so run it from the repository root, as tests/test_architecture.py does).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from importlinter import Contract, ContractCheck, fields, output


def _private_part(module: str, core: str) -> str | None:
    """The first private component of `module` below `core`, or None when every part is public."""
    for part in module[len(core) + 1 :].split("."):
        if part.startswith("_") and not (part.startswith("__") and part.endswith("__")):
            return part
    return None


class PublicSurfaceContract(Contract):
    """`importers` may import from `core` only modules whose names below `core` are all public.

    The library's own private_modules contract cannot say this: widgets and grading are installed
    as subpackages of goalstudio (goalstudio.widgets, goalstudio.grading), so to it a private
    module of goalstudio such as goalstudio._plantext is theirs to use.
    """

    type_name = "public_surface"

    importers = fields.ListField(subfield=fields.StringField())
    core = fields.StringField()

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        core = str(self.core)
        importers = [str(name) for name in self.importers]  # type: ignore[attr-defined]
        inside = tuple(f"{name}." for name in importers)
        broken: list[dict[str, object]] = []
        for package in importers:
            for importer in sorted({package, *graph.find_descendants(package)}):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    if not imported.startswith(f"{core}.") or imported.startswith(inside):
                        continue
                    if _private_part(imported, core) is None:
                        continue
                    broken.append(_link(graph, importer, imported))
        return ContractCheck(kept=not broken, warnings=[], metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error(
            f"These use a private module of {self.core}; import a public name instead:",
            bold=False,
        )
        output.new_line()
        _render(check)


def _link(graph: Any, importer: str, imported: str) -> dict[str, object]:
    details = graph.get_import_details(importer=importer, imported=imported)
    lines = sorted({detail["line_number"] for detail in details})
    return {"importer": importer, "imported": imported, "lines": lines}


def _render(check: ContractCheck) -> None:
    for link in check.metadata["broken"]:
        lines = ", ".join(map(str, link["lines"]))
        output.print_error(f"- {link['importer']} -> {link['imported']} (l.{lines})", bold=False)
        output.new_line()


def _within(module: str, packages: list[str]) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in packages)


class OuterOnlyContract(Contract):
    """Only `allowed_importers` may import `protected` (packages, external ones included).

    Unlike the library's protected contract, a protected package that nothing imports yet is
    fine: the contract is there so that the first import of it from the core is caught.
    """

    type_name = "outer_only"

    protected = fields.ListField(subfield=fields.StringField())
    allowed_importers = fields.ListField(subfield=fields.StringField())
    ignore = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        protected = [str(name) for name in self.protected]  # type: ignore[attr-defined]
        allowed = [str(name) for name in self.allowed_importers]  # type: ignore[attr-defined]
        ignored = {str(pair).replace(" ", "") for pair in self.ignore or []}  # type: ignore[attr-defined]
        broken: list[dict[str, object]] = []
        for importer in sorted(graph.modules):
            if graph.is_module_squashed(importer) or _within(importer, allowed + protected):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if not _within(imported, protected) or f"{importer}->{imported}" in ignored:
                    continue
                broken.append(_link(graph, importer, imported))
        return ContractCheck(kept=not broken, warnings=[], metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("These imports cross the wall:", bold=False)
        output.new_line()
        _render(check)


def installed_layout(repo: Path, dest: Path) -> Path:
    """Copy the Python files into `dest` as an installed wheel lays them out, and return `dest`.

    The repository maps folders onto subpackages with `package-dir` (widgets/ is
    goalstudio.widgets), and import-linter reads packages from the file system, so it would not
    see widgets or grading inside goalstudio. The copy has the installed shape.
    """
    config = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    package_dir: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    for package, folder in package_dir.items():
        source = repo / folder
        target = dest.joinpath(*package.split("."))
        for path in source.rglob("*.py"):
            relative = path.relative_to(source)
            # A subpackage mapped to its own folder is copied from that folder, not twice.
            if package == "goalstudio" and relative.parts[0] in _mapped_below(package_dir):
                continue
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)
    return dest


def _mapped_below(package_dir: dict[str, str]) -> set[str]:
    return {name.split(".")[1] for name in package_dir if name.count(".") == 1}


def check(repo: Path, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `lint-imports` with the repository's contracts over the installed layout.

    `extra` adds modules to the layout (dotted name to source), so a test can show that a
    contract catches an import it forbids.
    """
    with tempfile.TemporaryDirectory(prefix="goalstudio-walls-") as tmp:
        layout = installed_layout(repo, Path(tmp) / "site")
        for name, source in (extra or {}).items():
            layout.joinpath(*name.split(".")).with_suffix(".py").write_text(
                source, encoding="utf-8"
            )
        shutil.copyfile(repo / "pyproject.toml", Path(tmp) / "pyproject.toml")
        (Path(tmp) / "tests").mkdir()
        shutil.copyfile(Path(__file__), Path(tmp) / "tests" / "import_contracts.py")
        (Path(tmp) / "tests" / "__init__.py").write_text("", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(layout), tmp])}
        lint_imports = Path(sys.executable).with_name("lint-imports")
        return subprocess.run(
            [str(lint_imports), "--no-cache", str(Path(tmp) / "pyproject.toml")],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )


if __name__ == "__main__":
    result = check(Path(__file__).resolve().parents[1])
    print(result.stdout + result.stderr)
    raise SystemExit(result.returncode)
