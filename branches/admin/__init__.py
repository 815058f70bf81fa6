"""Admin of party organizations, coverage links, posts and instructors: scoped, written through services.

The tree view is MPTTModelAdmin's tree order with the indentation done in text:
mptt's change-list template indents with inline `style` attributes, which the
strict CSP (SECURE_CSP, no 'unsafe-inline') blocks. Rule warnings are computed
for a whole changelist page at once (branches.rules.warnings_for_many).
"""

from branches.admin import dated, instructors, party_organizations  # noqa: F401  (registers the admins)
