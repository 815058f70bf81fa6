"""The organization admin's add form, as posted."""

from orgs.uscc import make_uscc


def org_add_data(region, **extra):
    return {
        "name": "东湖阳光社工服务中心",
        "kind": "private_non_enterprise",
        "registration": "registered",
        "uscc": make_uscc("private_non_enterprise", "330482", 77).lower(),
        "region": region.pk,
        "management_mode": "territorial",
        "staff_count": "3",
        "is_public": "on",
        "grade_awards-TOTAL_FORMS": "0",
        "grade_awards-INITIAL_FORMS": "0",
        "inspections-TOTAL_FORMS": "0",
        "inspections-INITIAL_FORMS": "0",
        **extra,
    }
