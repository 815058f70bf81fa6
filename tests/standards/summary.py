"""Counts the standards checks print at the end of CI (artifacts/standards.txt, read by .ci/run)."""

from pathlib import Path

from django.conf import settings


def record(name: str, count: int) -> None:
    path = Path(settings.BASE_DIR) / "artifacts" / "standards.txt"
    path.parent.mkdir(exist_ok=True)
    old = path.read_text().splitlines() if path.exists() else []
    lines = [line for line in old if not line.startswith(f"{name}:")]
    path.write_text("\n".join([*lines, f"{name}: {count}"]) + "\n")
