"""Count the functions whose signatures are fully annotated (issue 16's "functions fully annotated").

Fully annotated as mypy's `disallow_untyped_defs` means it: every parameter annotated (a method's
`self`/`cls` excepted) and the return annotated (`__init__` may leave it out once a parameter is
annotated). Migrations and tests are left out. Usage: python .ci/annotated_functions.py [--by-app]

`--check-exempt` checks pyproject's list of modules exempt from `disallow_untyped_defs` instead: it
fails when a listed module has no unannotated function left (take it off: the list only shrinks);
`--prune` takes such modules off pyproject.toml itself.
"""

import ast
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {
    ".venv",
    "node_modules",
    "migrations",
    "tests",
    "staticfiles",
    ".git",
    ".lockenv",
    "media",
    ".ci",
}


def python_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if not SKIP_DIRS.intersection(p.relative_to(ROOT).parts[:-1]))


def is_fully_annotated(fn: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool) -> bool:
    args = fn.args
    positional = [*args.posonlyargs, *args.args]
    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in fn.decorator_list)
    if in_class and not static and positional:
        positional = positional[1:]  # self / cls
    params = [*positional, *args.kwonlyargs]
    params += [a for a in (args.vararg, args.kwarg) if a is not None]
    if any(a.annotation is None for a in params):
        return False
    if fn.returns is not None:
        return True
    return fn.name == "__init__" and bool(params)


def functions(tree: ast.AST) -> list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, bool]]:
    found = []

    def visit(node: ast.AST, in_class: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append((child, in_class))
                visit(child, False)
            elif isinstance(child, ast.ClassDef):
                visit(child, True)
            else:
                visit(child, in_class)

    visit(tree, False)
    return found


def exempt_modules() -> list[str]:
    """The modules of the [[tool.mypy.overrides]] entry that lifts disallow_untyped_defs (tests aside)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for override in config["tool"]["mypy"]["overrides"]:
        if override.get("disallow_untyped_defs") is False and override["module"] != ["tests.*"]:
            return list(override["module"])
    return []


def module_path(module: str) -> Path | None:
    """The file of a module name as mypy gives it (bench/ and docs/examples/ scripts by file name)."""
    base = ROOT / module.replace(".", "/")
    candidates = [base.with_suffix(".py"), base / "__init__.py"]
    candidates += [ROOT / folder / f"{module}.py" for folder in ("bench", "docs/examples")]
    return next((path for path in candidates if path.is_file()), None)


def check_exempt(prune: bool = False) -> int:
    stale = []
    for module in exempt_modules():
        path = module_path(module)
        if path is None:
            stale.append(f"{module}: no such module")
            continue
        found = functions(ast.parse(path.read_text(encoding="utf-8")))
        if all(is_fully_annotated(fn, in_class) for fn, in_class in found):
            stale.append(f"{module}: fully annotated")
    if prune:
        pyproject = ROOT / "pyproject.toml"
        names = {line.split(":")[0] for line in stale}
        lines = pyproject.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if line.strip().rstrip(",").strip('"') not in names]
        pyproject.write_text("".join(kept), encoding="utf-8")
        print(f"taken off the exemptions: {', '.join(sorted(names)) or 'none'}")
        return 0
    for line in stale:
        print(f"take off pyproject's disallow_untyped_defs exemptions: {line}")
    print(f"modules exempt from disallow_untyped_defs: {len(exempt_modules())} (the list only shrinks)")
    return 1 if stale else 0


def main() -> None:
    total: Counter[str] = Counter()
    annotated: Counter[str] = Counter()
    for path in python_files():
        app = path.relative_to(ROOT).parts[0] if len(path.relative_to(ROOT).parts) > 1 else "."
        for fn, in_class in functions(ast.parse(path.read_text(encoding="utf-8"))):
            total[app] += 1
            annotated[app] += is_fully_annotated(fn, in_class)
    if "--by-app" in sys.argv:
        for app in sorted(total):
            print(f"{app:12} {annotated[app]:5} / {total[app]:5}  {100 * annotated[app] / total[app]:5.1f} %")
    n, a = sum(total.values()), sum(annotated.values())
    print(f"functions fully annotated: {a} of {n} ({100 * a / n:.1f} %), migrations and tests excluded")


if __name__ == "__main__":
    if "--check-exempt" in sys.argv or "--prune" in sys.argv:
        sys.exit(check_exempt(prune="--prune" in sys.argv))
    main()
