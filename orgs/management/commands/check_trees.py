"""`manage.py check_trees`: report every inconsistency in every MPTT tree; non-zero exit if any."""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Model
from django.utils.translation import gettext as _

from orgs.tree_checks import check_model, discover_checks, mptt_models, summarize_model


class Command(BaseCommand):
    help = (
        "Check the nested-set columns (lft, rght, level, tree_id) of every MPTT model, "
        "plus each model's own rules; exit with an error if any tree is inconsistent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "models",
            nargs="*",
            metavar="app_label.Model",
            help="Only these models (default: every MPTT model).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        discover_checks()
        models = self._models(options["models"])
        problems = []
        nodes = trees = 0
        for model in models:
            problems.extend(check_model(model))
            model_nodes, model_trees = summarize_model(model)
            nodes += model_nodes
            trees += model_trees
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(
                _("%(count)d tree inconsistencies found in %(models)s.")
                % {"count": len(problems), "models": ", ".join(sorted({p.model for p in problems}))}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("OK: %(models)d tree models, %(trees)d trees, %(nodes)d nodes checked, no inconsistencies.")
                % {"models": len(models), "trees": trees, "nodes": nodes}
            )
        )

    def _models(self, labels: list[str]) -> list[type[Model]]:
        known = mptt_models()
        if not labels:
            return known
        chosen = []
        for label in labels:
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError):
                raise CommandError(_("Unknown model %(label)s.") % {"label": label}) from None
            if model not in known:
                raise CommandError(_("%(label)s is not an MPTT tree model.") % {"label": label})
            chosen.append(model)
        return chosen
