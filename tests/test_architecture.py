"""The arrows between clinic's packages, read from the source so they cannot rot.

Every import in clinic/ is read with `ast` (`import x`, `from x import y`, relative imports, and
imports inside functions, methods or `if` blocks alike) and checked against the layout in the
README:

- clinic/triage imports only the standard library and clinic.triage;
- everything else imports clinic.triage and its exported names only, never its modules;
- only clinic/handout imports WeasyPrint or its PDF/CSS libraries (weasyprint, pydyf,
  cssselect2);
- kiosk and staff never import each other, and intake (which both share) imports neither;
- the foundation modules (web, database, models, clock, i18n, extensions, config, audit,
  instance, logs, branding, text) import no feature package;
- nothing in clinic/ imports the tests or the benchmarks;
- every module imports on its own in a fresh interpreter (an import cycle fails);
- `.commit(` appears only in clinic/database.py, the one write-transaction helper.

Each rule is a function from "module -> names it imports" to a list of violations, and
`test_each_rule_reports_a_bad_import` feeds every rule a made-up bad import, so a rule that
has stopped seeing anything fails there rather than passing quietly.
"""

import ast
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLINIC = ROOT / "clinic"
PDF_LIBRARIES = ("weasyprint", "pydyf", "cssselect2")
COMMIT = re.compile(r"\.commit\(")
# What every feature builds on, and the features. clinic.triage is neither: it is the pure core
# beneath everything (models and i18n take its vocabulary).
FOUNDATION = ("clinic.web", "clinic.database", "clinic.models", "clinic.clock", "clinic.i18n",
              "clinic.extensions", "clinic.config", "clinic.audit", "clinic.instance",
              "clinic.logs", "clinic.branding", "clinic.text")
FEATURES = ("clinic.kiosk", "clinic.staff", "clinic.handout", "clinic.intake", "clinic.records",
            "clinic.outcomes")

Imports = dict[str, set[str]]  # module name -> fully qualified names it imports


def module_name(path: Path, root: Path = ROOT) -> str:
    """clinic/handout/cache.py -> clinic.handout.cache; clinic/audit/__init__.py -> clinic.audit."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every name one module imports, wherever the import statement stands.

    `import a.b` gives "a.b"; `from a.b import c` gives "a.b.c" (c may be a submodule or an
    attribute: either way the import runs a.b); relative imports are made absolute.
    """
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(filter(None, [*anchor, base]))
            names.update(f"{base}.{alias.name}" if alias.name != "*" else base
                         for alias in node.names)
    return names


def source_files(root: Path = CLINIC) -> list[Path]:
    return sorted(root.rglob("*.py"))


def read_imports(root: Path = CLINIC) -> Imports:
    return {
        module_name(path, root.parent): imported_names(
            path.read_text(encoding="utf-8"), module_name(path, root.parent),
            is_package=path.name == "__init__.py")
        for path in source_files(root)
    }


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def top_level(name: str) -> str:
    return name.partition(".")[0]


# The rules: each returns "module imports name" for every import that breaks it.


def triage_is_pure(imports: Imports) -> list[str]:
    """clinic.triage may import the standard library and itself, nothing else (not even
    clinic.models or flask), so it runs anywhere and stays reviewable as plain Python."""
    return [f"{module} imports {name}"
            for module, names in imports.items() if within(module, "clinic.triage")
            for name in sorted(names)
            if not within(name, "clinic.triage")
            and top_level(name) not in sys.stdlib_module_names]


def only_handout_imports_pdf_libraries(imports: Imports) -> list[str]:
    """WeasyPrint costs ~0.7 s to import and is pinned by security releases: one package owns
    it (and its PDF writer and CSS selector libraries)."""
    return [f"{module} imports {name}"
            for module, names in imports.items() if not within(module, "clinic.handout")
            for name in sorted(names) if top_level(name) in PDF_LIBRARIES]


def only_triage_face_outside_triage(imports: Imports) -> list[str]:
    """Outside clinic/triage, code imports `clinic.triage` and the names it exports, never its
    modules: clinical meaning changes in one package, behind one face."""
    import clinic.triage

    face = {"clinic.triage"} | {f"clinic.triage.{name}" for name in clinic.triage.__all__}
    return [f"{module} imports {name}"
            for module, names in imports.items()
            if within(module, "clinic") and not within(module, "clinic.triage")
            for name in sorted(names) if within(name, "clinic.triage") and name not in face]


def foundation_imports_no_feature(imports: Imports) -> list[str]:
    """Arrows point down: a feature may use the foundation, never the reverse, so a feature
    can change (or go) without the modules beneath it knowing."""
    return [f"{module} imports {name}"
            for module, names in imports.items()
            if any(within(module, base) for base in FOUNDATION)
            for name in sorted(names) if any(within(name, feature) for feature in FEATURES)]


def forbid(importers: str, *imported: str) -> Callable[[Imports], list[str]]:
    """A rule: nothing in package `importers` imports any of the packages `imported`."""

    def rule(imports: Imports) -> list[str]:
        return [f"{module} imports {name}"
                for module, names in imports.items() if within(module, importers)
                for name in sorted(names) if any(within(name, other) for other in imported)]

    rule.__name__ = f"{importers.replace('.', '_')}_does_not_import_" + "_".join(
        other.rpartition(".")[2] for other in imported)
    return rule


RULES: list[Callable[[Imports], list[str]]] = [
    triage_is_pure,
    only_triage_face_outside_triage,
    only_handout_imports_pdf_libraries,
    foundation_imports_no_feature,
    forbid("clinic.kiosk", "clinic.staff"),
    forbid("clinic.staff", "clinic.kiosk"),
    forbid("clinic.intake", "clinic.kiosk", "clinic.staff"),
    forbid("clinic", "tests", "bench"),
]

# For each rule, one made-up import that breaks it: (module, name it imports).
BAD_IMPORTS = {
    "triage_is_pure": ("clinic.triage.engine", "flask.current_app"),
    "only_triage_face_outside_triage": ("clinic.kiosk.views", "clinic.triage.rules.URGENCY_RULES"),
    "only_handout_imports_pdf_libraries": ("clinic.staff.queue", "weasyprint.HTML"),
    "foundation_imports_no_feature": ("clinic.web", "clinic.handout.request.HandoutError"),
    "clinic_kiosk_does_not_import_staff": ("clinic.kiosk.views", "clinic.staff.accounts"),
    "clinic_staff_does_not_import_kiosk": ("clinic.staff.queue", "clinic.kiosk.wording"),
    "clinic_intake_does_not_import_kiosk_staff": ("clinic.intake.submit", "clinic.staff"),
    "clinic_does_not_import_tests_bench": ("clinic.app", "tests.factories.store_intake"),
}


@pytest.fixture(scope="module")
def imports() -> Imports:
    return read_imports()


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_clinic_keeps_its_arrows(imports: Imports, rule: Callable[[Imports], list[str]]) -> None:
    """Fails naming the module and the import, e.g. "clinic.kiosk.views imports
    clinic.staff.accounts.authenticate" if a kiosk view reached into staff, or
    "clinic.triage.engine imports flask.current_app" if the engine read app config."""
    assert rule(imports) == []


def test_the_import_reader_sees_every_kind_of_import() -> None:
    """Imports inside functions, under `if`, relative and `from package import submodule` all
    count: `def f(): import weasyprint` in clinic/staff would be caught like a top-level one."""
    source = (
        "import os.path\n"
        "from clinic import staff\n"
        "from . import wording\n"
        "from ..intake.labels import label\n"
        "if True:\n"
        "    from clinic.kiosk import views\n"
        "def render():\n"
        "    import weasyprint\n"
        "    class Inner:\n"
        "        from pydyf import PDF\n"
    )
    assert imported_names(source, "clinic.kiosk.steps") == {
        "os.path", "clinic.staff", "clinic.kiosk.wording", "clinic.intake.labels.label",
        "clinic.kiosk.views", "weasyprint", "pydyf.PDF",
    }
    assert imported_names("from . import model", "clinic.triage", is_package=True) == {
        "clinic.triage.model"}


def test_each_rule_reports_a_bad_import(imports: Imports) -> None:
    """Every rule, given the real imports plus one made-up bad one, names that import: a rule
    that matches nothing (a typo in a package name, a reader that misses imports) fails here."""
    assert sorted(BAD_IMPORTS) == sorted(rule.__name__ for rule in RULES)
    for rule in RULES:
        module, name = BAD_IMPORTS[rule.__name__]
        assert module in imports, f"{module} no longer exists: pick another for {rule.__name__}"
        planted = {**imports, module: imports[module] | {name}}
        assert f"{module} imports {name}" in rule(planted), rule.__name__


def test_the_reader_finds_the_real_imports(imports: Imports) -> None:
    """A reader that silently found nothing would pass every rule: check known imports."""
    assert len(imports) > 40
    assert "weasyprint.HTML" in imports["clinic.handout.pdf"]
    assert "clinic.handout.cache.get_or_render" in imports["clinic.staff.printing"]
    assert any(within(name, "clinic.triage") for name in imports["clinic.triage"])


# Each module alone, in a fresh interpreter


# A fresh interpreter that imports the libraries clinic uses (never a clinic module), then
# forks one child per module; each child imports its module, and with it every clinic module
# that module pulls in, from nothing. argv: modules and libraries (comma-separated), jobs, the
# source folder and a folder for its byte code: the sources are compiled there once, never in
# the tree, so the children do not each compile every module again.
IMPORT_EACH = r"""
import compileall, importlib, os, sys, traceback

modules, libraries, jobs = sys.argv[1].split(","), sys.argv[2].split(","), int(sys.argv[3])
for name in libraries:
    while name:  # "flask.current_app" is an attribute: fall back to "flask"
        try:
            importlib.import_module(name)
            break
        except Exception:
            name = name.rpartition(".")[0]
early = [m for m in sys.modules if m == "clinic" or m.startswith("clinic.")]
assert not early, f"a library imported clinic: {early}"
sys.pycache_prefix = sys.argv[5]
compileall.compile_dir(sys.argv[4], quiet=1)
running, failed = {}, []

def reap():
    pid, status = os.wait()
    module = running.pop(pid)
    if os.waitstatus_to_exitcode(status) != 0:
        failed.append(module)

for module in modules:
    if len(running) >= jobs:
        reap()
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(module)
        except BaseException:
            last = traceback.format_exc().strip().splitlines()[-1]
            os.write(1, f"{module}: {last}\n".encode())
            os._exit(1)
        os._exit(0)
    running[pid] = module
while running:
    reap()
print(f"{len(modules) - len(failed)} of {len(modules)} modules imported alone")
sys.exit(1 if failed else 0)
"""


def libraries(imports: Imports) -> list[str]:
    """What clinic imports from outside the project (the standard library too)."""
    return sorted({name for names in imports.values() for name in names
                   if top_level(name) not in {"clinic", "tests", "bench"}})


def import_each_alone(modules: list[str], preload: list[str], source: Path, cache: Path,
                      path: Path) -> subprocess.CompletedProcess[str]:
    """Run IMPORT_EACH with `path` first on PYTHONPATH; `cache` receives the byte code."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(path), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(
        [sys.executable, "-c", IMPORT_EACH, ",".join(modules), ",".join(preload),
         str(os.cpu_count() or 1), str(source), str(cache)],
        cwd=path, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.slow  # a fresh interpreter per module (about 6 s)
def test_every_module_imports_on_its_own(imports: Imports, tmp_path: Path) -> None:
    """Every module of clinic/ is imported first, on its own, by a process that has imported
    no other clinic module (a fresh interpreter, forked once per module).

    The app imports its modules in one order; a cycle (a imports b imports a, with a name used
    before it is defined) can work in that order and fail in another, e.g. `ImportError: cannot
    import name 'get_or_render' from partially initialized module 'clinic.handout.cache'` when
    a worker or a script imports clinic.handout.prerender first. Failures are printed one line
    per module. Forking keeps this to seconds: a new interpreter per module spends about 2 s
    importing Flask, SQLAlchemy and WeasyPrint, which hold no clinic code, so they are imported
    once before the forks.
    """
    done = import_each_alone(sorted(imports), libraries(imports), CLINIC, tmp_path, ROOT)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert f"{len(imports)} of {len(imports)} modules imported alone" in done.stdout


def test_the_import_check_reports_a_cycle(tmp_path: Path) -> None:
    """Two made-up modules that import a name from each other: each fails when imported first
    (the app's usual order would hide it), and the check names both."""
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from cyclic.b import B\n\nA = 1\n")
    (package / "b.py").write_text("from cyclic.a import A\n\nB = 2\n")
    done = import_each_alone(["cyclic.a", "cyclic.b"], ["flask"], package,
                             tmp_path / "pycache", tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[-1] == "0 of 2 modules imported alone"
    for first in ("a", "b"):
        # Importing a first: a imports b, which asks the half-built a for A.
        assert any(line.startswith(f"cyclic.{first}: ImportError: cannot import name "
                                   f"'{first.upper()}' from partially initialized")
                   for line in lines), lines


# One commit point


def commit_calls(root: Path) -> list[str]:
    """"path:line: text" for every `.commit(` in the .py files under root's clinic/."""
    found = []
    for path in source_files(root / "clinic"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if COMMIT.search(line):
                found.append(f"{path.relative_to(root).as_posix()}:{number}: {line.strip()}")
    return found


def test_only_the_database_helper_commits() -> None:
    """`database.write()` is the one place a transaction commits: a `db.session.commit()` in a
    view or operation (say clinic/staff/auth.py) is reported with its file and line."""
    found = commit_calls(ROOT)
    elsewhere = [hit for hit in found if not hit.startswith("clinic/database.py:")]
    assert elsewhere == []
    assert found, "clinic/database.py no longer commits: has the helper moved?"


def test_the_commit_check_reports_a_commit_outside_the_helper(tmp_path: Path) -> None:
    """A made-up tree with a commit in a view: the check names its file and line."""
    (tmp_path / "clinic" / "staff").mkdir(parents=True)
    (tmp_path / "clinic" / "database.py").write_text("def write():\n    session.commit()\n")
    (tmp_path / "clinic" / "staff" / "auth.py").write_text(
        "def login():\n    db.session.commit( )\n\ndef commit_row(): ...\n")
    assert commit_calls(tmp_path) == [
        "clinic/database.py:2: session.commit()",
        "clinic/staff/auth.py:2: db.session.commit( )",
    ]


def test_no_test_module_imports_another() -> None:
    """Shared test code lives in helper modules (factories, pages, *_helpers, *_pages), never in
    a test_*.py module another test module imports: each test module stands alone."""
    tests = ROOT / "tests"
    offenders = [
        f"{module_name(path)} imports {name}"
        for path in sorted(tests.rglob("*.py"))
        for name in sorted(imported_names(path.read_text(encoding="utf-8"), module_name(path),
                                          is_package=path.name == "__init__.py"))
        if within(name, "tests") and any(part.startswith(("test_", "conftest"))
                                         for part in name.split(".")[1:])
    ]
    assert offenders == []


# Module size

MAX_LINES = 300
# The triage rules are data (one rule per entry), read as tables: they may run long.
LONG_ALLOWED = CLINIC / "triage" / "rules"


def long_modules(root: Path = CLINIC, limit: int = MAX_LINES) -> list[str]:
    """"path: N lines" for every module under root (bar the triage rules) over `limit` lines."""
    return [f"{path.relative_to(root.parent).as_posix()}: {lines} lines"
            for path in source_files(root)
            if path.parent != LONG_ALLOWED
            and (lines := len(path.read_text(encoding="utf-8").splitlines())) > limit]


def test_no_module_over_300_lines() -> None:
    """Every module in clinic/ outside clinic/triage/rules/ stays at 300 lines or fewer: a longer
    one is split by what it does (as clinic/staff and clinic/kiosk are, one blueprint and a
    module per group of pages). Fails naming each module and its length."""
    assert len(source_files()) > 40
    assert long_modules() == []
