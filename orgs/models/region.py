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

    PARENT_KIND: dict[str, str | None] = {
        Kind.DISTRICT: None,
        Kind.STREET: Kind.DISTRICT,
        Kind.COMMUNITY: Kind.STREET,
    }

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

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """GB/T 2260 shape of the code for the level, and the parent's level (errors name the field)."""
        errors = {}
        code_error = self._code_error()
        if code_error:
            errors["code"] = code_error
        parent_error = self._parent_error()
        if parent_error:
            errors["parent"] = parent_error
        elif "code" not in errors and self.parent is not None and not self.code.startswith(self.parent.code):
            errors["code"] = ValidationError(
                _("The code of a %(level)s must start with the code of its parent %(parent)s (%(prefix)s).")
                % {"level": self.get_kind_display(), "parent": self.parent, "prefix": self.parent.code},
                code="code_prefix",
            )
        if errors:
            raise ValidationError(errors)

    def _code_error(self) -> ValidationError | None:
        code = self.code or ""
        expected = settings.REGION_CODE_LENGTHS.get(self.kind)
        if expected is None:
            return None  # an unknown level is reported on the kind field
        if len(code) != expected or not (code.isascii() and code.isdigit()):
            message = _("The code of a %(level)s must be exactly %(n)d digits; “%(code)s” is not.") % {
                "level": self.get_kind_display(),
                "n": expected,
                "code": code,
            }
            return ValidationError(message, code="code_length")
        if self.kind == self.Kind.DISTRICT:
            if code[:2] < "11":
                message = _(
                    "The first two digits of a district code are the province and start at 11; “%(code)s” "
                    "starts with %(prefix)s."
                ) % {"code": code, "prefix": code[:2]}
                return ValidationError(message, code="code_province")
            if code.endswith("00"):
                message = _(
                    "A district code cannot end in 00 (“%(code)s” is a city or province code in GB/T 2260)."
                ) % {"code": code}
                return ValidationError(message, code="code_not_district")
        elif code.endswith("000"):
            message = _("The last three digits of a %(level)s code cannot be 000 (“%(code)s”).") % {
                "level": self.get_kind_display(),
                "code": code,
            }
            return ValidationError(message, code="code_zero_suffix")
        return None

    def _parent_error(self) -> ValidationError | None:
        if self.kind not in self.PARENT_KIND:
            return None
        parent_kind = self.PARENT_KIND[self.kind]
        if parent_kind is None:
            if self.parent_id is not None:
                return ValidationError(
                    _("A district is the top of its own tree and has no parent division."),
                    code="parent_forbidden",
                )
            return None
        if self.parent is None:
            message = _("A %(level)s needs a parent division (a %(parent)s).") % {
                "level": self.get_kind_display(),
                "parent": self.Kind(parent_kind).label,
            }
            return ValidationError(message, code="parent_missing")
        if self.parent.kind != parent_kind:
            message = _("The parent of a %(level)s must be a %(parent)s, not a %(actual)s.") % {
                "level": self.get_kind_display(),
                "parent": self.Kind(parent_kind).label,
                "actual": self.parent.get_kind_display(),
            }
            return ValidationError(message, code="parent_kind")
        return None
