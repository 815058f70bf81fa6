"""What the public home page shows besides articles: coverage headline figures and other apps' blocks.

Extension point for the apps still to come (alliances, events): an installed app that has a
module `<app>/public_home.py` with `home_block(request) -> {"template": str, "context": dict}`
gets its block rendered on the home page, in HOME_BLOCK_APPS order, between the articles and
the coverage figures. Nothing else to wire: templates/public/home.html includes each block.
"""

from importlib import import_module

from django.apps import apps

HOME_BLOCK_APPS = ("alliances", "events")  # alliances first, then upcoming public events


def extra_blocks(request) -> list[dict]:
    blocks = []
    for app in HOME_BLOCK_APPS:
        if not apps.is_installed(app):
            continue
        try:
            module = import_module(f"{app}.public_home")
        except ModuleNotFoundError:
            continue
        block = module.home_block(request)
        if block:
            blocks.append(block)
    return blocks


def coverage_headline() -> dict | None:
    """Headline coverage figures of the latest snapshot, or None when there is none (never made up)."""
    return None
