"""Load a district with five years of history from CSV files through the API, then print its
coverage figures at three dates (docs/api.md walks through it).

    python docs/examples/load_district.py --base-url http://127.0.0.1:8000 --token TOKEN \
        [--data docs/examples/district] [--dates 2020-06-30,2022-06-30,2024-06-30]

Every record carries the source system's key (`external_id`): running the script twice updates
what the first run wrote instead of duplicating it. A refusal (a period that cannot be, a field
that is wrong) stops the script with the API's message, which names the field and the row.
"""

import argparse
import csv
import sys
from pathlib import Path

import requests

DEFAULT_DATA = Path(__file__).parent / "district"
DEFAULT_DATES = "2020-06-30,2022-06-30,2024-06-30"


class Api:
    def __init__(self, base_url: str, token: str, language: str = "en"):
        self.base = base_url.rstrip("/") + "/api/v1/"
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Token {token}", "Accept-Language": language})

    def post(self, path: str, data: dict) -> dict:
        body = {key: value for key, value in data.items() if value not in ("", None)}
        response = self.session.post(self.base + path, json=body, timeout=30)
        if response.status_code not in (200, 201):
            sys.exit(f"POST {path} {body}: {response.status_code} {response.text}")
        return response.json()

    def get(self, path: str, **params) -> dict:
        response = self.session.get(self.base + path, params=params, timeout=30)
        response.raise_for_status()
        return response.json()


def rows(folder: Path, name: str) -> list[dict]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(api: Api, folder: Path) -> str:
    """Write every file's rows; returns the district's code."""
    district = ""
    for row in rows(folder, "regions"):
        api.post("regions/", row)
        district = district or row["code"]
    orgs = {
        row["external_id"]: api.post("organizations/", row)["id"] for row in rows(folder, "organizations")
    }
    pos: dict[str, int] = {}
    dissolutions: list[tuple[int, str]] = []
    for row in rows(folder, "party_organizations"):  # superiors come first in the file
        parent = pos.get(row.pop("parent")) if row.get("parent") else None
        dissolved_on = row.pop("dissolved_on")
        pos[row["external_id"]] = api.post("party-organizations/", {**row, "parent": parent})["id"]
        if dissolved_on:
            dissolutions.append((pos[row["external_id"]], dissolved_on))
    instructors = {
        row["external_id"]: api.post("instructors/", row)["id"] for row in rows(folder, "instructors")
    }
    for row in rows(folder, "coverage_links"):
        row.update(party_organization=pos[row["party_organization"]], organization=orgs[row["organization"]])
        api.post("coverage-links/", row)
    for row in rows(folder, "assignments"):
        row.update(instructor=instructors[row["instructor"]], organization=orgs[row["organization"]])
        api.post("instructor-assignments/", row)
    for row in rows(folder, "status_changes"):
        api.post("organization-status-changes/", {**row, "organization": orgs[row["organization"]]})
    for po_id, on in dissolutions:
        if api.get(f"party-organizations/{po_id}/")["status"] != "dissolved":
            api.post(f"party-organizations/{po_id}/dissolve/", {"on": on})
    return district


def report(api: Api, district: str, dates: list[str]) -> None:
    print("date        total  single  joint  fallback  org_coverage  work_covered  work_coverage")
    for day in dates:
        f = api.get("coverage/", region=district, date=day)
        print(
            f"{day}  {f['total']:5}  {f['single']:6}  {f['joint']:5}  {f['fallback']:8}  "
            f"{f['org_coverage']:12}  {f['work_covered']:12}  {f['work_coverage']:13}"
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--dates", default=DEFAULT_DATES)
    args = parser.parse_args(argv)
    api = Api(args.base_url, args.token)
    district = load(api, args.data)
    report(api, district, args.dates.split(","))


if __name__ == "__main__":
    main()
