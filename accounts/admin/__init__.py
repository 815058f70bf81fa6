"""Admin of the accounts app: users and their inbox (users.py), the security records behind
superuser-only mixins (security.py), and what the other apps' admins build on: the scoped base class
(scoping.py) and the tree changelist mixin (tree.py). Translated third-party admins: axes.py,
auditlog.py, permissions.py."""

from accounts.admin import security, users  # noqa: F401  (registers the admins)
