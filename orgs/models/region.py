from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from orgs.querysets import RegionManager


class Region(MPTTModel):
    """Administrative division (GB/T 2260): district → street/town → community/village.

    Each district is the root of its own MPTT tree (`tree_id`), so inserts and
    moves touch one district only. Only `orgs.services.regions` writes nodes.
    """

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        STREET = "street", _("Street/town")
        COMMUNITY = "community", _("Community/village")

    PARENT_KIND = {Kind.DISTRICT: None, Kind.STREET: Kind.DISTRICT, Kind.COMMUNITY: Kind.STREET}

    code = models.CharField(
        _("division code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d+$", _("A division code contains digits only."))],
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("level"), max_length=20, choices=Kind.choices)
    parent = TreeForeignKey(
        "self",
        verbose_name=_("parent division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = RegionManager()

    class MPTTMeta:
        order_insertion_by = ["code"]

    class Meta:
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        indexes = [models.Index(fields=["tree_id", "lft"], name="orgs_region_tree_lft_idx")]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        lengths = settings.REGION_CODE_LENGTHS
        code = self.code or ""
        expected = lengths.get(self.kind)
        if expected and (len(code) != expected or not code.isdigit()):
            errors["code"] = _("A %(level)s code has %(n)d digits.") % {
                "level": self.get_kind_display(),
                "n": expected,
            }
        elif self.kind == self.Kind.DISTRICT and (code[4:] == "00" or code[:2] < "11"):
            errors["code"] = _("%(code)s is not a district-level code (GB/T 2260).") % {"code": code}
        elif self.kind in (self.Kind.STREET, self.Kind.COMMUNITY) and code.endswith("000"):
            errors["code"] = _("The last three digits of a %(level)s code cannot be 000.") % {
                "level": self.get_kind_display()
            }
        parent_kind = self.PARENT_KIND.get(self.kind)
        if parent_kind is None and self.parent_id is not None:
            errors["parent"] = _("A district is the top of its tree and has no parent.")
        elif parent_kind is not None:
            if self.parent is None:
                errors["parent"] = _("A %(level)s needs a parent division.") % {
                    "level": self.get_kind_display()
                }
            elif self.parent.kind != parent_kind:
                errors["parent"] = _("The parent of a %(level)s must be a %(parent)s.") % {
                    "level": self.get_kind_display(),
                    "parent": self.Kind(parent_kind).label,
                }
            elif "code" not in errors and not code.startswith(self.parent.code):
                errors["code"] = _("The code must start with the parent's code %(code)s.") % {
                    "code": self.parent.code
                }
        if errors:
            raise ValidationError(errors)
