"""Branches models whose every row change is recorded by django-auditlog (who, when, what).

The nested-set columns are left out: a move is recorded as the parent change
(plus a PartyOrganizationChange row), not as the renumbering of its neighbours.
"""

from auditlog.registry import auditlog

from branches.models import CommitteePost, CoverageLink, Instructor, InstructorAssignment, PartyOrganization

auditlog.register(PartyOrganization, exclude_fields=["lft", "rght", "tree_id", "level", "updated_at"])
auditlog.register(CoverageLink)
auditlog.register(CommitteePost)
auditlog.register(Instructor)
auditlog.register(InstructorAssignment)
