"""Demo articles for seed_demo: a dozen made-up news, showcases and notices in the seeds' style.

Idempotent: an article is found by its title; only missing ones are written (through
news.services, so bodies are sanitised and covers re-encoded like any upload). Covers are
drawn here with Pillow (coloured shapes, no text, nothing fetched). Publish times are
spread over the weeks before the first run.
"""

import io
import math
import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.actors import DEMO_SEEDER
from news.demo_texts import ARTICLES
from news.models import Article
from news.services import article_create, article_publish
from orgs.demo.organizations import flagship_organization
from orgs.demo.scope import demo_committee

COVER_SIZE = (1200, 675)
PALETTES = [
    ((183, 28, 28), (255, 213, 79)),
    ((142, 20, 20), (255, 236, 179)),
    ((198, 40, 40), (255, 255, 255)),
    ((109, 15, 15), (224, 176, 0)),
    ((211, 47, 47), (255, 224, 130)),
    ((21, 101, 192), (255, 255, 255)),
]


def draw_cover(seed: int) -> io.BytesIO:
    """A 16:9 PNG: a two-colour ground with a sun, rays, a star and waves (no text, no fonts needed)."""
    rng = random.Random(seed)  # noqa: S311 - pictures, not secrets
    ground, accent = PALETTES[seed % len(PALETTES)]
    width, height = COVER_SIZE
    image = Image.new("RGB", COVER_SIZE, ground)
    draw = ImageDraw.Draw(image)
    cx, cy = rng.randint(width // 2, width - 200), rng.randint(150, height // 2)
    for i in range(0, 360, 15):  # rays
        angle = math.radians(i + rng.randint(0, 7))
        end = (cx + 1400 * math.cos(angle), cy + 1400 * math.sin(angle))
        shade = tuple(min(255, c + 18) for c in ground)
        draw.polygon([(cx, cy), end, (end[0] + 60, end[1] + 60)], fill=shade)
    radius = rng.randint(90, 140)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=accent)
    sx, sy, r = rng.randint(120, 360), rng.randint(110, 260), rng.randint(50, 80)  # five-pointed star
    points = [
        (sx + (r if k % 2 == 0 else r * 0.4) * math.sin(math.pi * k / 5),
         sy - (r if k % 2 == 0 else r * 0.4) * math.cos(math.pi * k / 5))
        for k in range(10)
    ]  # fmt: skip
    draw.polygon(points, fill=accent)
    for band in range(3):  # waves along the bottom
        base = height - 170 + band * 55
        tint = tuple(int(c * (0.75 - band * 0.15) + 255 * (0.25 + band * 0.15)) for c in ground)
        wave = [(x, base + 22 * math.sin(x / 90 + band + seed)) for x in range(0, width + 20, 20)]
        draw.polygon([*wave, (width, height), (0, height)], fill=tint)
    out = io.BytesIO()
    image.save(out, format="PNG")
    out.seek(0)
    out.name = f"demo-cover-{seed}.png"
    return out


def _links(names: list[str]) -> dict:
    links = {}
    if "flagship" in names:
        links["organizations"] = [o for o in [flagship_organization()] if o is not None]
    if "committee" in names:
        links["party_organizations"] = [po for po in [demo_committee()] if po is not None]
    return links


def seed_articles(now: datetime | None = None) -> int:
    """Write the missing demo articles, published; return how many were created."""
    now = now or timezone.now()
    existing = set(
        Article.objects.filter(title__in=[a.title for a in ARTICLES]).values_list("title", flat=True)
    )
    created = 0
    for number, spec in enumerate(ARTICLES, 1):
        if spec.title in existing:
            continue
        with transaction.atomic():
            article = article_create(
                actor=DEMO_SEEDER,
                kind=spec.kind,
                title=spec.title,
                summary=spec.summary,
                body=spec.body,
                cover=draw_cover(number),
                **_links(spec.links),
            )
            article_publish(
                article=article, actor=DEMO_SEEDER, at=now - timedelta(days=spec.days_ago, hours=number)
            )
        created += 1
    return created
