"""Layers that point one way (docs/decisions/0007-layers.md): every import under guanjia/ is
read with `ast` (nothing is imported) and checked against one table.

| layer | app        | may import                                                       |
| ----- | ---------- | ---------------------------------------------------------------- |
| 0     | core       | no other app                                                     |
| 1     | accounts   | core                                                             |
| 2     | estates    | core, accounts                                                   |
| 3     | billing    | core, accounts, estates                                          |
| 4     | tickets    | core, accounts, estates; billing only through its services and  |
|       |            | selectors (`guanjia.billing.services`, `guanjia.billing.selectors`) |
| 4     | cashier    | core, accounts, estates; billing's models, services, selectors   |
| 5     | visits     | core, accounts, estates; tickets only through its services,      |
|       |            | selectors, models and panels registry; not billing               |
| 5     | desk       | core, accounts, estates; billing and tickets only through their  |
|       |            | services and selectors                                           |
| 5     | training   | core, accounts, estates; the domain apps below only through their|
|       |            | services, selectors and models                                   |
| 6     | movein,    | core, accounts, estates; the domain apps below (billing, tickets,|
|       | vacant,    | cashier, visits, desk) only through their services, selectors    |
|       | passes,    | and models                                                       |
|       | violations,|                                                                  |
|       | attendance |                                                                  |
| 7     | renovation,| as layer 6, and the layer-6 apps the same way                    |
|       | conduct    |                                                                  |
| 8     | patrols,   | as layer 7, and the layer-7 apps the same way                    |
|       | sanctions  |                                                                  |
| 9     | plans      | as layer 8, and the layer-8 apps the same way                    |
| 10    | appraisal  | as layer 9, and plans the same way                               |
| top   | demo, bench| everything; no app imports them                                  |

Apps of one layer do not import each other (tickets and cashier are beside each other).
Tests of an app (`<app>/tests/`) follow their app's row, may read any lower app (its
factories, its models to assert an outcome), and core's tests may use accounts, which plugs
the access core's pages need into core (`guanjia.core.access`).
"""

from __future__ import annotations

import ast
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

GUANJIA = Path(settings.BASE_DIR) / "guanjia"

# The allowed order, lowest first: an app may import its own layer and those below it.
LAYERS: dict[str, int] = {
    "core": 0,
    "accounts": 1,
    "estates": 2,
    "billing": 3,
    "tickets": 4,
    "cashier": 4,
    "visits": 5,
    "desk": 5,
    "training": 5,
    "movein": 6,
    "vacant": 6,
    "passes": 6,
    "violations": 6,
    "attendance": 6,
    "renovation": 7,
    "conduct": 7,
    "patrols": 8,
    "sanctions": 8,
    "plans": 9,
    "appraisal": 10,
}
TOP = {"demo", "bench"}  # above every app: they may import anything, nothing imports them
# (importer, imported): the only modules of `imported` that importer's code may use.
NARROW: dict[tuple[str, str], tuple[str, ...]] = {
    ("tickets", "billing"): ("guanjia.billing.services", "guanjia.billing.selectors"),
    ("cashier", "billing"): (
        "guanjia.billing.models",
        "guanjia.billing.services",
        "guanjia.billing.selectors",
    ),
    ("visits", "tickets"): (
        "guanjia.tickets.services",
        "guanjia.tickets.selectors",
        "guanjia.tickets.models",
        "guanjia.tickets.panels",
    ),
    ("desk", "billing"): ("guanjia.billing.services", "guanjia.billing.selectors"),
    ("desk", "tickets"): ("guanjia.tickets.services", "guanjia.tickets.selectors"),
}
# The procedure apps (layers 5-10) use the domain apps below them only through their
# services, selectors and models (a foreign key), never their views, forms or API.
_DOMAIN = (
    "billing",
    "tickets",
    "cashier",
    "visits",
    "desk",
    "training",
    "movein",
    "vacant",
    "passes",
    "violations",
    "attendance",
    "renovation",
    "conduct",
    "patrols",
    "sanctions",
    "plans",
)
for _importer in (
    "training",
    "movein",
    "vacant",
    "passes",
    "violations",
    "attendance",
    "renovation",
    "conduct",
    "patrols",
    "sanctions",
    "plans",
    "appraisal",
):
    for _imported in _DOMAIN:
        if _imported != _importer:
            NARROW.setdefault(
                (_importer, _imported),
                tuple(
                    f"guanjia.{_imported}.{part}" for part in ("services", "selectors", "models")
                ),
            )
# (importer's tests, imported): allowed although `imported` is above the importer.
TEST_EXCEPTIONS = {("core", "accounts")}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    imported: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.imported}: {self.reason}"


def module_name(path: Path) -> str:
    """`guanjia/tickets/services/charges.py` -> `guanjia.tickets.services.charges`."""
    parts = list(path.with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, *, is_package: bool) -> list[tuple[int, str]]:
    """Every module the source imports (line, dotted name), relative imports resolved;
    imports inside functions and `if TYPE_CHECKING:` blocks included."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "bench":
        return "bench"
    if parts[0] == "guanjia" and len(parts) > 1 and (parts[1] in LAYERS or parts[1] in TOP):
        return parts[1]
    return None


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


def _reason(importer: str, imported: str, target: str, *, in_tests: bool) -> str | None:
    """Why `importer` (an app) may not import `target` (a module of app `imported`)."""
    if imported == importer or importer in TOP:
        return None
    if imported in TOP:
        return f"{imported} is above every app"
    if in_tests and (importer, imported) in TEST_EXCEPTIONS:
        return None
    if LAYERS[imported] > LAYERS[importer]:
        return f"{imported} is above {importer}"
    if LAYERS[imported] == LAYERS[importer]:
        return f"{imported} is beside {importer}"
    allowed = NARROW.get((importer, imported))
    if allowed and not in_tests and not any(_within(target, name) for name in allowed):
        return f"{importer} may use {imported} only through {', '.join(allowed)}"
    return None


def check_source(path: Path, source: str) -> list[Violation]:
    """The imports of one file (path relative to the project) that point up."""
    module = module_name(path)
    importer = _app_of(module)
    if importer is None:
        return []
    in_tests = ".tests." in f"{module}."
    violations = []
    imports = imported_modules(source, module, is_package=path.name == "__init__.py")
    for line, target in imports:
        imported = _app_of(target)
        if imported is None:
            continue
        reason = _reason(importer, imported, target, in_tests=in_tests)
        if reason:
            violations.append(Violation(str(path), line, target, reason))
    return violations


def _scan() -> list[str]:
    violations = []
    for path in sorted(GUANJIA.rglob("*.py")):
        relative = path.relative_to(GUANJIA.parent)
        violations += check_source(relative, path.read_text(encoding="utf-8"))
    return [str(v) for v in violations]


def test_every_import_under_guanjia_points_down():
    # In a thread of its own: CPython 3.11's `ast.parse` can fail with "AST constructor
    # recursion depth mismatch" in a thread where a RecursionError was caught before (the
    # tests of too deeply nested JSON bodies run in the same worker).
    found: list[list[str]] = []
    for _attempt in range(3):  # a fresh thread again if the parser failed in this one
        worker = threading.Thread(target=lambda: found.append(_scan()))
        worker.start()
        worker.join()
        if found:
            break
    assert found == [[]]


def test_the_table_names_every_app_under_guanjia():
    apps = {p.parent.name for p in GUANJIA.glob("*/apps.py")}
    assert apps == set(LAYERS) | (TOP - {"bench"})


# --- The checker catches what it must (synthetic sources) ------------------------------------


def _check(path: str, source: str) -> list[str]:
    return [v.reason for v in check_source(Path(path), source)]


def test_core_importing_an_app_is_caught():
    assert _check("guanjia/core/views.py", "from guanjia.accounts.models import User\n") == [
        "accounts is above core"
    ]


def test_an_import_for_type_checking_or_inside_a_function_is_caught_too():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from guanjia.accounts.models import User\n"
        "def f():\n"
        "    import guanjia.estates.models\n"
    )
    assert _check("guanjia/core/jobs/services.py", source) == [
        "accounts is above core",
        "estates is above core",
    ]


def test_estates_importing_billing_or_tickets_is_caught():
    source = "from guanjia.billing.models import FeeItem\nimport guanjia.tickets.services\n"
    assert _check("guanjia/estates/services/units.py", source) == [
        "billing is above estates",
        "tickets is above estates",
    ]


def test_billing_importing_tickets_is_caught():
    assert _check("guanjia/billing/views/runs.py", "from guanjia.tickets import services\n") == [
        "tickets is above billing"
    ]


def test_tickets_may_call_billing_services_but_not_read_its_models():
    assert (
        _check("guanjia/tickets/services/charges.py", "from guanjia.billing.services import x\n")
        == []
    )
    assert _check(
        "guanjia/tickets/services/charges.py", "from guanjia.billing import models\n"
    ) == [
        "tickets may use billing only through guanjia.billing.services, guanjia.billing.selectors"
    ]


def test_apps_beside_each_other_do_not_import_each_other():
    assert _check("guanjia/tickets/services/charges.py", "from guanjia.cashier import x\n") == [
        "cashier is beside tickets"
    ]
    assert _check("guanjia/cashier/services/payments.py", "import guanjia.tickets.models\n") == [
        "tickets is beside cashier"
    ]


def test_cashier_may_read_billing_models_but_not_its_views():
    assert _check("guanjia/cashier/services/x.py", "from guanjia.billing.models import F\n") == []
    assert _check("guanjia/cashier/views/x.py", "from guanjia.billing.views import runs\n") == [
        "cashier may use billing only through guanjia.billing.models, "
        "guanjia.billing.services, guanjia.billing.selectors"
    ]


def test_no_app_imports_demo_or_bench():
    assert _check("guanjia/tickets/views/lists.py", "from guanjia.demo import tickets\n") == [
        "demo is above every app"
    ]
    assert _check("guanjia/estates/selectors/search.py", "import bench.harness\n") == [
        "bench is above every app"
    ]
    assert _check("guanjia/demo/billing.py", "from guanjia.tickets.models import Complaint\n") == []


def test_a_relative_import_is_resolved_before_it_is_checked():
    assert module_name(Path("guanjia/core/policies/__init__.py")) == "guanjia.core.policies"
    source = "from ...accounts.models import User\nfrom ..models import Community\n"
    assert _check("guanjia/core/policies/selectors.py", source) == ["accounts is above core"]


def test_tests_may_read_lower_apps_and_core_tests_may_use_accounts():
    assert (
        _check(
            "guanjia/core/tests/test_shell.py",
            "from guanjia.accounts.tests.factories import staff\n",
        )
        == []
    )
    assert _check(
        "guanjia/core/tests/test_shell.py",
        "from guanjia.estates.tests.factories import UnitFactory\n",
    ) == ["estates is above core"]
    assert (
        _check(
            "guanjia/tickets/tests/test_followups.py",
            "from guanjia.billing.models import FeeItem\n",
        )
        == []
    )
    assert _check(
        "guanjia/estates/tests/test_units.py", "from guanjia.billing.tests.factories import F\n"
    ) == ["billing is above estates"]
