"""The Nu HTML checker (npm's vnu-jar, on a headless Java) run once over a folder of saved pages."""

import json
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def missing_tools() -> str | None:
    if not shutil.which("java"):
        return "java is missing: run `make browser` (apt-get install default-jre-headless)"
    if not VNU_JAR.exists():
        return f"{VNU_JAR} is missing: run `make browser` (npm install vnu-jar)"
    return None


def check_folder(folder: Path) -> list[dict]:
    """Every error vnu reports for the .html files of `folder`: {"file", "line", "message", "extract"}."""
    run = subprocess.run(
        [
            "java",
            "-Xss4m",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            str(folder),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    return [
        {
            "file": Path(m.get("url", "").removeprefix("file:")).name,
            "line": m.get("lastLine"),
            "message": m.get("message", ""),
            "extract": m.get("extract", ""),
        }
        for m in report["messages"]
        if m.get("type") == "error"
    ]
