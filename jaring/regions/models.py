from __future__ import annotations

from django.db import models


class Region(models.Model):
    """A Kemendagri region code (2025 edition): province, regency/city, district or village."""

    code = models.CharField(max_length=13, primary_key=True)  # dotted: 36.03.01.2003
    name = models.CharField(max_length=128)
    level = models.PositiveSmallIntegerField(db_index=True)  # 1 province .. 4 village
    kind = models.CharField(max_length=16)  # provinsi, kabupaten, kota, kecamatan, kelurahan, desa, desa_adat
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    population = models.BigIntegerField(null=True, blank=True)  # provinces and regencies (Dukcapil Dec 2024)
    area_km2 = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class NikPrefix(models.Model):
    """Every regency and district code seen in the 2016-2025 editions: what a NIK's first digits may be."""

    digits = models.CharField(max_length=6, primary_key=True)  # 4 (regency) or 6 (district) digits
    code = models.CharField(max_length=8)
    name = models.CharField(max_length=128)
    first_seen = models.PositiveSmallIntegerField()
    last_seen = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BranchOffice(models.Model):
    """A BPJS Ketenagakerjaan branch office (kantor cabang) and the regencies it serves."""

    code = models.CharField(max_length=16, primary_key=True)
    name = models.CharField(max_length=128)
    regencies = models.ManyToManyField(Region, related_name="branch_offices")

    def __str__(self) -> str:
        return self.name
