"""Excel import and export of members, on the registry's pattern (orgs.registry_io).

columns (one spec) → workbook (template and export) and reader → validate; the
write is members.services.imports, run as a job in the worker like the registry
import (members.services.import_jobs): the web request only stores the file. The
same rules hold: a preview lists every bad cell, and nothing is written until
every row is good (one transaction, re-validated).
Exports carry masked ID numbers and phones only, so an export cannot be
re-imported as it is: an import needs the full numbers from the source records.
"""
