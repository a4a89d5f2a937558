"""Who is looking: the viewer's role and the regions they may see. Region scoping is decided here, once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from jaring.core.errors import PermissionDenied
from jaring.core.models import ApiToken, UserProfile
from jaring.core.rules import DENIED, Permission, Role, may, region_level_of, sees_personal_data

_LEVEL_COLUMNS = {1: "province_code", 2: "regency_code", 3: "district_code", 4: "village_id"}


def region_q(code: str, prefix: str = "") -> Q:
    """Rows of one region of any level, on a model with province_code, regency_code, district_code, village."""
    return Q(**{f"{prefix}{_LEVEL_COLUMNS[region_level_of(code)]}": code})


@dataclass(frozen=True)
class Viewer:
    user_id: int | None
    username: str
    role: Role
    all_regions: bool = False
    region_codes: tuple[str, ...] = ()
    sponsor_ref: str = ""
    branch_code: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def sees_personal_data(self) -> bool:
        return sees_personal_data(self.role)

    def may(self, permission: Permission) -> bool:
        return may(self.role, permission)

    def require(self, permission: Permission) -> None:
        """Refuse (PermissionDenied, with the sentence and code of core.rules.DENIED) unless the role may."""
        if not may(self.role, permission):
            message, code = DENIED[permission]
            raise PermissionDenied(message, code=code)

    def region_q(self, prefix: str = "") -> Q:
        """A filter on a model that carries province_code, regency_code, district_code and a village FK."""
        if self.all_regions:
            return Q()
        if not self.region_codes:
            return Q(pk__in=[])
        q = Q()
        for code in self.region_codes:
            q |= region_q(code, prefix)
        return q

    def worker_q(self, prefix: str = "") -> Q:
        """The workers this viewer may open: those of its regions; for a sponsor, the workers it funds (issue #14:
        a CSR manager opens the workers on its own bill, masked). Only for worker lookups: payers, bills and
        queues keep their own rules."""
        if self.role != Role.SPONSOR:
            return self.region_q(prefix)
        if not self.sponsor_ref or not _sponsor_workers:
            return Q(pk__in=[])
        return Q(**{f"{prefix}pk__in": _sponsor_workers[0](self.sponsor_ref)})

    def region_sql(self, alias: str = "") -> tuple[str, list[str]]:
        """The same filter as `region_q` for raw SQL over a table with province_code, regency_code,
        district_code and village_code: ("" , []) for every region, else "(... OR ...)" and its parameters."""
        if self.all_regions:
            return "", []
        if not self.region_codes:
            return "1 = 0", []
        dot = f"{alias}." if alias else ""
        columns = {**_LEVEL_COLUMNS, 4: "village_code"}
        parts = [f"{dot}{columns[region_level_of(code)]} = %s" for code in self.region_codes]
        return "(" + " OR ".join(parts) + ")", list(self.region_codes)

    def may_see_region(self, code: str) -> bool:
        if self.all_regions:
            return True
        return any(code == c or code.startswith(c + ".") for c in self.region_codes)


class RegionDirectory(Protocol):
    """What core needs to know of the region tree and the branch offices, answered by the regions app (which
    stands above core): it sets itself in RegionsConfig.ready, so core imports no higher app."""

    def branch_regency_codes(self, *, branch_code: str) -> list[str]: ...

    def region_level(self, *, code: str) -> int | None: ...  # None: no such region

    def branch_known(self, *, code: str) -> bool: ...


_directory: list[RegionDirectory] = []
# Which workers a sponsor funds: answered by the contributions app (its payers carry the sponsor), set in its
# AppConfig.ready, so core imports no higher app. Returns a subquery of worker ids.
_sponsor_workers: list[Callable[[str], Any]] = []


def sponsor_workers_set(finder: Callable[[str], Any]) -> None:
    _sponsor_workers[:] = [finder]


# What sponsors are called, by their ref: answered by the funding app (set in its AppConfig.ready), for apps of
# its own layer that split figures by sponsor (insights) and may not import it.
_sponsor_names: list[Callable[[list[str]], dict[str, str]]] = []


def sponsor_names_set(finder: Callable[[list[str]], dict[str, str]]) -> None:
    _sponsor_names[:] = [finder]


# Claims per worker and month for the coverage figures: answered by the claims app (set in its AppConfig.ready)
# for insights, which stands beside it: (worker_id, reported_period, paid_period, total) of these months.
_claim_months: list[Callable[[list[str]], Any]] = []


def claim_months_set(finder: Callable[[list[str]], Any]) -> None:
    _claim_months[:] = [finder]


def claim_months(months: list[str]) -> Any:
    """A Polars frame of the claims reported or paid in these months, or None without a claims app."""
    return _claim_months[0](months) if _claim_months else None


def sponsor_names(refs: list[str]) -> dict[str, str]:
    """{ref: name} for the refs a sponsor directory knows (the ref itself stands for one it does not)."""
    found = _sponsor_names[0](refs) if _sponsor_names and refs else {}
    return {ref: found.get(ref) or ref for ref in refs}


def region_directory_set(directory: RegionDirectory) -> None:
    _directory[:] = [directory]


def region_directory() -> RegionDirectory:
    if not _directory:
        raise RuntimeError("jaring.regions is not installed: no region directory")
    return _directory[0]


SYSTEM = Viewer(user_id=None, username="system", role=Role.ADMIN, all_regions=True)


def viewer_for(user: AbstractBaseUser | AnonymousUser | None) -> Viewer | None:
    """None for a user without a Jaring role: they see nothing. Superusers act as administrators."""
    if user is None or not user.is_authenticated:
        return None
    profile = UserProfile.objects.filter(user_id=user.pk).first()
    if profile is None:
        if getattr(user, "is_superuser", False):
            return Viewer(user_id=user.pk, username=user.get_username(), role=Role.ADMIN, all_regions=True)
        return None
    role = Role(profile.role)
    base = {"user_id": user.pk, "username": user.get_username(), "role": role}
    if role == Role.ADMIN:
        return Viewer(**base, all_regions=True)
    if role == Role.BRANCH:
        codes = region_directory().branch_regency_codes(branch_code=profile.branch_code)
        return Viewer(**base, region_codes=tuple(codes), branch_code=profile.branch_code)
    if role == Role.SPONSOR:
        # Sponsors see only the workers they fund; funding arrives with the sponsors issue (#5).
        return Viewer(**base, sponsor_ref=profile.sponsor_ref)
    return Viewer(**base, region_codes=(profile.region_code,) if profile.region_code else ())


def user_viewer(*, username: str) -> tuple[AbstractBaseUser, Viewer] | None:
    """A login named on the command line (`jaring import --user`) with its viewer; None without a role."""
    user = get_user_model().objects.filter(username=username).first()
    viewer = viewer_for(user)
    return None if user is None or viewer is None else (user, viewer)


def api_tokens(*, username: str = "") -> list[ApiToken]:
    """Tokens, newest first (their keys are never kept, so never shown)."""
    query = ApiToken.objects.select_related("user")
    if username:
        query = query.filter(user__username=username)
    return list(query[:1000])
