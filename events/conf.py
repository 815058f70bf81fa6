"""The EVENTS settings section with its defaults: a key missing from settings falls back to these."""

from django.conf import settings

DEFAULTS = {
    # 三会一课 and the other regular meetings (DOMAIN.md): the period each kind must be held in, and
    # which party organizations it applies to ("all", "has_committee", "has_groups").
    "MEETING_REQUIREMENTS": {
        "general_meeting": {"period": "quarter", "applies": "all"},
        "committee_meeting": {"period": "month", "applies": "has_committee"},
        "group_meeting": {"period": "month", "applies": "has_groups"},
        "party_lecture": {"period": "quarter", "applies": "all"},
        "theme_day": {"period": "month", "applies": "all"},
        "life_meeting": {"period": "year", "applies": "all"},
        "democratic_appraisal": {"period": "year", "applies": "all"},
    },
    "COMPLIANCE_PO_KINDS": ["branch", "joint_branch"],
    "QUORUM_KINDS": ["general_meeting"],
    "PHOTO_MAX_SIDE": 1600,
    "PHOTO_THUMB_SIDE": 320,
    "PHOTOS_PER_EVENT": 30,
    "SIGNIN_OPENS_BEFORE_MINUTES": 60,
    "SIGNIN_CLOSES_AFTER_MINUTES": 120,
    "VOLUNTEER_KINDS": ["volunteer_service", "public_welfare"],
    "POINTS_PER_HOUR": 10,
    "MAX_HOURS_PER_EVENT": 12,
    "BOOKING_MAX_HOURS": 12,
    "BOOKING_MAX_DAYS_AHEAD": 90,
    "PUBLIC_UPCOMING_LIMIT": 5,
    # public sign-up: attempts allowed per client address within the window (a cache counter)
    "SIGNUP_PER_ADDRESS": 10,
    "SIGNUP_WINDOW_SECONDS": 600,
}


def events_setting(key: str):
    return getattr(settings, "EVENTS", {}).get(key, DEFAULTS[key])
