"""Excel import and export of the organization registry (the staff's spreadsheet, issue 3).

columns (the one column spec) → template / export (writing); xlsx → parse → cells →
validate → spool → commit (reading); progress carries live counts. The workflow
lives in orgs.services.registry_import and runs in orgs.tasks; docs/registry-import.md
explains the whole.
"""
