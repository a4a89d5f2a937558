from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from jaring.core.api import api_viewer, errors
from jaring.core.errors import NotFound
from jaring.regions.selectors import region_children, region_get

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str


@router.get("/", response={200: list[RegionOut], **errors()}, summary="Provinces")
def provinces(request: HttpRequest) -> list[RegionOut]:
    api_viewer(request)
    return [
        RegionOut(code=r.code, name=r.name, level=r.level, kind=r.kind) for r in region_children(code=None)
    ]


@router.get("/{code}/children", response={200: list[RegionOut], **errors(404)},
            summary="The regions one level below a region")  # fmt: skip
def children(request: HttpRequest, code: Annotated[str, Field(max_length=13)]) -> list[RegionOut]:
    api_viewer(request)
    if region_get(code=code) is None:
        raise NotFound(f"Kode wilayah '{code}' tidak dikenal.", field="code")
    return [
        RegionOut(code=r.code, name=r.name, level=r.level, kind=r.kind) for r in region_children(code=code)
    ]
