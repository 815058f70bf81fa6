"""The member admin's add form, as posted, and a logged-in client."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from members.id_numbers import make_id_number

ADD = reverse("admin:members_member_add")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member_add_data(pos, **overrides):
    data = {
        "name": "赵六",
        "id_number": make_id_number("110101", dt.date(1990, 1, 2), 11),
        "gender": "",
        "birth_date": "",
        "ethnicity": "汉族",
        "phone": "13912345678",
        "education": "bachelor",
        "party_organization": pos.branch_a.pk,
        "affiliation": "formal",
        "employer": "",
        "stage": "applicant",
        "applied_on": "2024-05-01",
        "document": "",
        **{
            f"{prefix}-{key}": value
            for prefix in ("stage_changes", "transfers")
            for key, value in {
                "TOTAL_FORMS": 0,
                "INITIAL_FORMS": 0,
                "MIN_NUM_FORMS": 0,
                "MAX_NUM_FORMS": 1000,
            }.items()
        },
    }
    data.update(overrides)
    return data
