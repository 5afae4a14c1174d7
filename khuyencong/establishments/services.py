"""Writes on the registry. Every function checks permission and scope, validates, writes atomically and leaves a
history row with its reason; the form views, the API and the file import all call these."""

import datetime
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.history import attribute
from khuyencong.core.history_views import history_row
from khuyencong.core.phones import phone_problem
from khuyencong.core.related import lookup
from khuyencong.core.scoping import in_scope
from khuyencong.core.text import fold
from khuyencong.geography.models import AdminUnit
from khuyencong.geography.selectors import primary_successor

from .choices import TAX_CODE_FORMS, DuplicateStatus
from .models import CraftVillage, DuplicateFlag, Establishment, EstablishmentYear, Representative, SavedFilter

TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")
EDITABLE_FIELDS = [
    "name",
    "legal_form",
    "tax_code",
    "owner_name",
    "owner_gender",
    "owner_ethnic_minority",
    "phone",
    "email",
    "address",
    "commune_recorded",
    "craft_village",
    "main_industry",
    "eligible_group",
    "main_products",
    "employees_total",
    "employees_female",
    "employees_ethnic_minority",
    "status",
    "status_since",
    "source",
    "import_key",
    "latitude",
    "longitude",
]


def normalise_tax_code(value: str | None, legal_form: str) -> str | None:
    """Strip spaces; enterprises and cooperatives must have 10 digits or 10-3; others are free-form."""
    text = re.sub(r"\s+", "", str(value or "")).strip()
    if not text:
        return None
    if legal_form in TAX_CODE_FORMS and not TAX_CODE_RE.match(text):
        raise ApplicationError(
            ErrorCode.INVALID,
            _("A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch (e.g. 0101234567-001)."),
            field="tax_code",
        )
    return text


def phone_digits(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def search_key(*, name_folded: str, tax_code: str | None, owner_folded: str, address: str, phone_digits: str) -> str:
    """The text the search box looks in: folded name, tax code, folded owner and address, phone digits."""
    return " ".join(part for part in (name_folded, tax_code or "", owner_folded, fold(address), phone_digits) if part)


def derived_keys(
    *, name: str, owner_name: str, phone: str, address: str, tax_code: str | None, name_folded: str | None = None
) -> dict[str, str]:
    """The stored search and matching keys of an establishment (see `derive`); an import passes the name it has
    already folded."""
    name_folded = fold(name) if name_folded is None else name_folded
    owner_folded, digits = fold(owner_name), phone_digits(phone)
    return {
        "name_folded": name_folded,
        "owner_folded": owner_folded,
        "phone_digits": digits,
        "search_folded": search_key(
            name_folded=name_folded, tax_code=tax_code, owner_folded=owner_folded, address=address, phone_digits=digits
        ),
    }


def derive(
    establishment: Establishment,
    *,
    current_commune: AdminUnit | None = None,
    current_commune_ids: tuple[int, int] | None = None,
    group_of_industry: dict[int, int | None] | None = None,
) -> None:
    """Fill the derived fields: current commune and province, search keys, suggested industry group. Imports pass
    the current commune's (id, province id) and the industry groups they already know: a row costs no query."""
    if current_commune_ids is not None:
        establishment.commune_id, establishment.province_id = current_commune_ids
    elif current_commune is None:
        recorded = establishment.commune_recorded
        current_commune = recorded if recorded.valid_to is None else primary_successor(recorded)
        if current_commune is None:
            raise ApplicationError(
                ErrorCode.INVALID,
                _("%(unit)s has no current successor; choose the commune of today.") % {"unit": recorded.full_name},
                field="commune_recorded",
            )
    if current_commune is not None:
        establishment.commune = current_commune
        establishment.province_id = current_commune.province_id  # type: ignore[assignment]
    establishment.name = " ".join((establishment.name or "").split())
    for name, value in derived_keys(
        name=establishment.name,
        owner_name=establishment.owner_name,
        phone=establishment.phone,
        address=establishment.address,
        tax_code=establishment.tax_code,
    ).items():
        setattr(establishment, name, value)
    if establishment.eligible_group_id is None and establishment.main_industry_id:
        if group_of_industry is not None:
            establishment.eligible_group_id = group_of_industry.get(establishment.main_industry_id)
        elif establishment.main_industry is not None:
            establishment.eligible_group_id = establishment.main_industry.eligible_group_id


def _check_write(user: Any, establishment: Establishment, *, creating: bool) -> None:
    perm = "establishments.add_establishment" if creating else "establishments.change_establishment"
    if not user.has_perm(perm, None if creating else establishment):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Your role does not allow changing establishments."))
    if not in_scope(user, establishment):
        raise ApplicationError(
            ErrorCode.OUT_OF_SCOPE,
            _("%(commune)s is outside your area.") % {"commune": establishment.commune.full_name},
            field="commune_recorded",
        )


def _check_tax_code(establishment: Establishment) -> None:
    if not establishment.tax_code:
        return
    existing = Establishment.objects.filter(tax_code=establishment.tax_code).exclude(pk=establishment.pk).first()
    if existing is not None:
        raise ApplicationError(
            ErrorCode.DUPLICATE,
            _("Tax code %(code)s is already registered for “%(name)s”.")
            % {"code": establishment.tax_code, "name": existing.name},
            field="tax_code",
            extra={"existing_id": existing.pk, "existing_url": reverse("establishments:detail", args=[existing.pk])},
        )


def _validate(establishment: Establishment, *, phone_before: str | None = None) -> None:
    establishment.tax_code = normalise_tax_code(establishment.tax_code, establishment.legal_form)
    establishment.phone = " ".join((establishment.phone or "").split())
    if establishment.phone and establishment.phone != phone_before:
        # Checked when typed or changed: a record imported with an odd number can still be edited otherwise.
        problem = phone_problem(establishment.phone)
        if problem:
            raise ApplicationError(ErrorCode.INVALID, problem, field="phone")
    total = establishment.employees_total
    for name, label in (("employees_female", _("female")), ("employees_ethnic_minority", _("ethnic-minority"))):
        part = getattr(establishment, name)
        if total is not None and part is not None and part > total:
            raise ApplicationError(
                ErrorCode.INVALID,
                _("The number of %(kind)s employees cannot exceed the total (%(total)s).")
                % {"kind": label, "total": total},
                field=name,
            )


def _check_craft_village(user: Any, establishment: Establishment, *, before: tuple[Any, Any] = (None, None)) -> None:
    """A craft village newly named on an establishment (or kept while it moves to another province) must be one the
    user may reach (another area's is "not found", like one that does not exist) and lie in the establishment's
    province. `before` is (craft village id, province id) before the change."""
    from .selectors import craft_villages_for

    village_id = establishment.craft_village_id
    if village_id is None or (village_id, establishment.province_id) == before:
        return
    village = lookup(craft_villages_for(user=user), village_id, scoped=True, field="craft_village")
    if village.province_id != establishment.province_id:
        raise ApplicationError(
            ErrorCode.INVALID,
            _("The craft village “%(village)s” is not in the establishment's province.") % {"village": village.name},
            field="craft_village",
        )


@transaction.atomic
def establishment_create(*, user: Any, data: dict[str, Any], reason: str = "") -> Establishment:
    """Create an establishment; refuses a tax code already registered and flags likely duplicates."""
    establishment = Establishment(**{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    _validate(establishment)
    derive(establishment)
    _check_write(user, establishment, creating=True)
    _check_craft_village(user, establishment)
    _check_tax_code(establishment)
    attribute(establishment, user=user, reason=reason or _("Created"))
    establishment.save()
    duplicate_flags_refresh(establishment=establishment)
    return establishment


@dataclass
class StaleChange:
    label: str
    old: str
    new: str
    user: str
    date: datetime.datetime


def changes_since(establishment: Establishment, version: int) -> list[StaleChange]:
    """What others changed after the version a user started editing from (for the conflict message)."""
    records = list(establishment.history.filter(version__gte=version).order_by("history_date", "history_id"))
    if not records:
        return []
    base = records[0]
    changes: list[StaleChange] = []
    previous = base
    for record in records[1:]:
        row = history_row(record, previous)
        for change in row.changes:
            if change.field == "version":
                continue
            changes.append(
                StaleChange(change.label, change.old, change.new, str(record.history_user or ""), record.history_date)
            )
        previous = record
    return changes


@transaction.atomic
def establishment_update(
    *, user: Any, establishment_id: int, data: dict[str, Any], expected_version: int, reason: str = ""
) -> Establishment:
    """Save changes made from `expected_version`; refused (with what changed meanwhile) when someone saved first."""
    establishment = Establishment.objects.select_for_update().select_related("commune").get(pk=establishment_id)
    _check_write(user, establishment, creating=False)
    if establishment.version != expected_version:
        raise ApplicationError(
            ErrorCode.STALE_VERSION,
            _("Someone else saved this establishment after you opened it. Your changes were not saved."),
            extra={"changes": changes_since(establishment, expected_version)},
        )
    before = (establishment.craft_village_id, establishment.province_id)
    phone_before = establishment.phone
    for name, value in data.items():
        if name in EDITABLE_FIELDS:
            setattr(establishment, name, value)
    _validate(establishment, phone_before=phone_before)
    derive(establishment)
    _check_write(user, establishment, creating=False)  # the new commune must be in scope too
    _check_craft_village(user, establishment, before=before)
    _check_tax_code(establishment)
    establishment.version += 1
    attribute(establishment, user=user, reason=reason or _("Edited"))
    establishment.save()
    duplicate_flags_refresh(establishment=establishment)
    return establishment


# ---- duplicates -----------------------------------------------------------------------------------------------------


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(a=a, b=b).ratio()


def likely_duplicates(
    *,
    name: str,
    commune: AdminUnit,
    phone: str = "",
    owner: str = "",
    exclude_id: int | None = None,
    limit: int = 10,
) -> list[tuple[Establishment, int, str]]:
    """Establishments that look like this one: (record, score 0–100, reasons). Same folded name in the same commune
    scores 95; a similar name with the same phone 85, with the same owner 75."""
    name_f, owner_f, digits = fold(name), fold(owner), phone_digits(phone)
    condition = Q(commune=commune, name_folded=name_f)
    if len(digits) >= 8:
        condition |= Q(phone_digits=digits)
    if owner_f:
        condition |= Q(province_id=commune.province_id, owner_folded=owner_f)
    candidates = Establishment.objects.filter(condition).select_related("commune")
    if exclude_id:
        candidates = candidates.exclude(pk=exclude_id)
    found = []
    for other in candidates[:200]:
        reasons, score = [], 0
        similarity = _similar(name_f, other.name_folded)
        if other.commune_id == commune.pk and other.name_folded == name_f:
            score, reasons = 95, [_("same name in the same commune")]
        elif similarity >= 0.75 and digits and other.phone_digits == digits:
            score, reasons = 85, [_("similar name and the same phone")]
        elif similarity >= 0.75 and owner_f and other.owner_folded == owner_f:
            score, reasons = 75, [_("similar name and the same owner")]
        if score:
            found.append((other, score, "; ".join(str(r) for r in reasons)))
    found.sort(key=lambda item: -item[1])
    return found[:limit]


def duplicate_flags_refresh(*, establishment: Establishment) -> list[DuplicateFlag]:
    """Flag likely duplicates of `establishment` (existing decisions are kept)."""
    flags = []
    for other, score, reasons in likely_duplicates(
        name=establishment.name,
        commune=establishment.commune,
        phone=establishment.phone,
        owner=establishment.owner_name,
        exclude_id=establishment.pk,
    ):
        first, second = sorted([establishment, other], key=lambda e: e.pk)
        flag, created = DuplicateFlag.objects.get_or_create(
            establishment=first, other=second, defaults={"score": score, "reasons": reasons}
        )
        flags.append(flag)
    return flags


@transaction.atomic
def duplicate_flag_decide(
    *, user: Any, flag_id: int, is_duplicate: bool, establishment_id: int | None = None
) -> DuplicateFlag:
    """Confirm or dismiss a possible duplicate. Only a user who may change both records decides: a pair across two
    provinces is the ministry's (scope covers both), never half-decided by one province."""
    flag = DuplicateFlag.objects.select_for_update().select_related("establishment", "other").filter(pk=flag_id).first()
    if flag is None or (
        establishment_id is not None and establishment_id not in (flag.establishment_id, flag.other_id)
    ):
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Not found, or outside your area."))
    if not all(user.has_perm("establishments.change_establishment", e) for e in (flag.establishment, flag.other)):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    flag.status = DuplicateStatus.CONFIRMED if is_duplicate else DuplicateStatus.DISMISSED
    flag.decided_by, flag.decided_at = user, timezone.now()
    attribute(flag, user=user)
    flag.save()
    return flag


MERGEABLE_FIELDS = [f for f in EDITABLE_FIELDS if f not in ("import_key",)]


@transaction.atomic
def establishment_merge(
    *, user: Any, survivor_id: int, other_id: int, take_from_other: list[str], reason: str = ""
) -> Establishment:
    """Merge `other` into `survivor`: the fields listed in `take_from_other` come from the other record, every
    relation is re-pointed to the survivor, and the other record is deleted. Both histories say so."""
    if survivor_id == other_id:
        raise ApplicationError(ErrorCode.INVALID, _("Choose two different establishments."))
    records = {e.pk: e for e in Establishment.objects.select_for_update().filter(pk__in=[survivor_id, other_id])}
    if len(records) != 2:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Establishment not found."))
    survivor, other = records[survivor_id], records[other_id]
    for record in (survivor, other):
        if not user.has_perm("establishments.merge_establishment", record):
            raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    unknown = set(take_from_other) - set(MERGEABLE_FIELDS)
    if unknown:
        raise ApplicationError(ErrorCode.INVALID, _("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    taken_tax_code = other.tax_code if "tax_code" in take_from_other else None
    for name in take_from_other:
        setattr(survivor, name, getattr(other, name))
    note = reason or ""
    # Re-point every relation (present and future apps) from the other record to the survivor.
    _repoint_relations(user=user, survivor=survivor, other=other)
    merged_into = _("Merged into establishment #%(id)s “%(name)s”. %(note)s")
    attribute(other, user=user, reason=merged_into % {"id": survivor.pk, "name": survivor.name, "note": note})
    other.delete()
    if taken_tax_code:
        survivor.tax_code = taken_tax_code
    _validate(survivor)
    derive(survivor)
    survivor.version += 1
    merged_with = _("Merged with establishment #%(id)s “%(name)s”. %(note)s")
    attribute(survivor, user=user, reason=merged_with % {"id": other_id, "name": other.name, "note": note})
    survivor.save()
    return survivor


def _repoint_relations(*, user: Any, survivor: Establishment, other: Establishment) -> None:
    from khuyencong.core.history import bulk_update_with_history

    survivor_years = set(survivor.years.values_list("year", flat=True))
    moved = [y for y in other.years.all() if y.year not in survivor_years]
    for year in moved:
        year.establishment = survivor
    if moved:
        bulk_update_with_history(moved, EstablishmentYear, ["establishment"], user=user, reason=_("Merge"))
    DuplicateFlag.objects.filter(
        Q(establishment=other, other=survivor) | Q(establishment=survivor, other=other)
    ).delete()
    survivor.other_industries.add(*other.other_industries.all())
    # Hidden relations too (related_name="+"): a project's beneficiaries point here without a reverse accessor.
    for relation in Establishment._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue
        model = relation.related_model
        if (
            model is None
            or model in (EstablishmentYear, DuplicateFlag)
            or not isinstance(relation, models.ManyToOneRel)
        ):
            continue
        if model.__name__.startswith("Historical"):
            continue
        field = relation.field.name
        if getattr(model, "history", None) is None:  # a derived table (running figures): re-pointed as it is
            model._default_manager.filter(**{field: other}).update(**{field: survivor})
            continue
        objs = list(model._default_manager.filter(**{field: other}))
        if objs and (hook := getattr(model, "before_establishment_merge", None)) is not None:
            hook(objs, survivor, user=user)  # e.g. a survey keeps one response per establishment
        for obj in objs:
            setattr(obj, field, survivor)
        if not objs:
            continue
        try:
            with transaction.atomic():
                bulk_update_with_history(objs, model, [field], user=user, reason=_("Merge"))
        except IntegrityError as exc:
            raise ApplicationError(
                ErrorCode.CONFLICT,
                _("Both establishments are on the same list of %(records)s; correct that list before merging them.")
                % {"records": model._meta.verbose_name_plural},
            ) from exc


# ---- representatives' accounts ----------------------------------------------------------------------------------


@transaction.atomic
def representative_link(*, user: Any, establishment_id: int, username: str) -> Representative:
    """Let the account `username` (role: establishment representative) see this establishment. The officer must
    be able to change the establishment, and an account already linked elsewhere only within the officer's area
    (nobody reaches another province's representative through this)."""
    from khuyencong.accounts.choices import Role, ScopeLevel
    from khuyencong.accounts.models import User

    establishment = Establishment.objects.select_for_update().filter(pk=establishment_id).first()
    if establishment is None or not user.has_perm("establishments.change_establishment", establishment):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    username = (username or "").strip()
    account = (
        User.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(username=username, is_active=True)
        .first()
    )
    # One answer for an unknown name, another role's account and an account of another area, so that the form
    # tells nobody which user names exist elsewhere.
    usable = account is not None and account.role == Role.ESTABLISHMENT_REP
    if usable:
        organisation_province = getattr(account.organisation, "province_id", None)
        if organisation_province is not None and not in_scope(user, account.organisation):
            usable = False
        elsewhere = Establishment.objects.filter(representatives__user=account).exclude(pk=establishment.pk)
        if any(not in_scope(user, other) for other in elsewhere):
            usable = False
    if not usable:
        raise ApplicationError(
            ErrorCode.INVALID,
            _(
                "No establishment-representative account of your area has the user name “%(u)s”. An account "
                "already linked in another province is linked by the ministry."
            )
            % {"u": username[:150]},
            field="username",
        )
    assert account is not None
    link = Representative.objects.filter(establishment=establishment, user=account).first()
    if link is not None:
        return link
    link = Representative(establishment=establishment, user=account, added_by=user)
    attribute(link, user=user, reason=_("Account linked to the establishment"))
    link.save()
    if account.scope_level != ScopeLevel.ESTABLISHMENTS:
        account.scope_level = ScopeLevel.ESTABLISHMENTS
        attribute(account, user=user, reason=_("Representative of an establishment"))
        account.save(update_fields=["scope_level"])
    return link


@transaction.atomic
def representative_unlink(*, user: Any, representative_id: int) -> None:
    link = Representative.objects.select_related("establishment").filter(pk=representative_id).first()
    if link is None or not user.has_perm("establishments.change_establishment", link.establishment):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    attribute(link, user=user, reason=_("Account no longer linked to the establishment"))
    link.delete()


# ---- yearly figures and saved filters -------------------------------------------------------------------------------


@transaction.atomic
def establishment_year_save(*, user: Any, establishment_id: int, data: dict[str, Any]) -> EstablishmentYear:
    """Create or replace the figures of one year. The establishment's row is held until the end, so that two saves
    of the same year at the same moment replace one another instead of both inserting."""
    establishment = Establishment.objects.select_for_update().get(pk=establishment_id)
    if not user.has_perm("establishments.change_establishment", establishment):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Your role does not allow changing establishments."))
    for name in ("revenue_vnd", "production_value_vnd", "export_value_vnd"):
        if data.get(name) is not None and data[name] < 0:
            raise ApplicationError(ErrorCode.INVALID, _("Amounts cannot be negative."), field=name)
    year = EstablishmentYear.objects.filter(establishment=establishment, year=data["year"]).first()
    year = year or EstablishmentYear(establishment=establishment, year=data["year"])
    for name in ("revenue_vnd", "production_value_vnd", "export_value_vnd", "employees", "capacity"):
        setattr(year, name, data.get(name) if data.get(name) is not None else (None if name != "capacity" else ""))
    attribute(year, user=user)
    year.save()
    return year


@transaction.atomic
def saved_filter_save(*, user: Any, name: str, query: str) -> SavedFilter:
    saved, _created = SavedFilter.objects.update_or_create(
        user=user, name=name.strip()[:100], defaults={"query": query}
    )
    return saved


@transaction.atomic
def saved_filter_delete(*, user: Any, filter_id: int) -> None:
    """Delete one of the user's own saved filters (another user's is not found)."""
    saved = SavedFilter.objects.filter(user=user, pk=filter_id).first()
    if saved is None:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Not found, or outside your area."))
    attribute(saved, user=user)
    saved.delete()


# ---- craft villages -------------------------------------------------------------------------------------------------

VILLAGE_FIELDS = ["name", "kind", "craft", "commune", "recognition_decision", "recognised_on"]


@transaction.atomic
def craft_village_save(
    *, user: Any, data: dict[str, Any], village_id: int | None = None, reason: str = ""
) -> CraftVillage:
    """Create (no `village_id`) or change a craft village of a commune of today, in the user's area."""
    if village_id is None:
        village = CraftVillage()
        if not user.has_perm("establishments.add_craftvillage"):
            raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Your role does not allow changing craft villages."))
    else:
        village = CraftVillage.objects.select_for_update().get(pk=village_id)
        if not user.has_perm("establishments.change_craftvillage", village):
            raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    for name in VILLAGE_FIELDS:
        if name in data:
            setattr(village, name, data[name])
    village.name = " ".join((village.name or "").split())
    if len(village.name) < 2:
        raise ApplicationError(ErrorCode.INVALID, _("Enter the craft village's name."), field="name")
    commune = village.commune if village.commune_id else None
    if commune is None:
        raise ApplicationError(ErrorCode.INVALID, _("Choose the commune of the craft village."), field="commune")
    if commune.valid_to is not None or commune.level != "commune":
        raise ApplicationError(
            ErrorCode.INVALID,
            _("%(unit)s is not a commune of today; choose the commune it belongs to now.")
            % {"unit": commune.full_name},
            field="commune",
        )
    village.province_id = commune.province_id  # type: ignore[assignment]
    if not in_scope(user, village):
        raise ApplicationError(
            ErrorCode.OUT_OF_SCOPE,
            _("%(commune)s is outside your area.") % {"commune": commune.full_name},
            field="commune",
        )
    if village.recognised_on and village.recognised_on > timezone.localdate():
        raise ApplicationError(ErrorCode.INVALID, _("The recognition date is in the future."), field="recognised_on")
    village.name_folded = fold(village.name)
    clash = CraftVillage.objects.filter(commune_id=village.commune_id, name_folded=village.name_folded)
    if clash.exclude(pk=village.pk).exists():
        raise ApplicationError(
            ErrorCode.DUPLICATE,
            _("%(commune)s already has a craft village named “%(name)s”.")
            % {"commune": commune.full_name, "name": village.name},
            field="name",
        )
    attribute(village, user=user, reason=reason or (_("Created") if village_id is None else ""))
    village.save()
    return village
