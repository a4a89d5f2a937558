"""Coverage out of Jaring (issue #15): every table as .xlsx, and a report a Bupati can sign (figures, the
12-month trend as a chart, the map, the villages below target) as PDF, drawn with fpdf2 alone."""

from __future__ import annotations

import io
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import xlsxwriter
from django.utils import timezone
from fpdf import FPDF

from jaring.core.pdf import fact_lines, letterhead, printable, table
from jaring.core.selectors import Viewer
from jaring.core.types import Period
from jaring.insights.selectors import Figures, Report, coverage_map, village_goals
from jaring.regions.selectors import office_of

GEO = Path(__file__).resolve().parent / "data" / "geo"
HEADS = ("Kode", "Nama", "Terdaftar", "Peserta", "Terlindungi", "Menunggak", "Lewat masa bayar", "Baru",
         "Berhenti", "Target", "Cakupan %", "Sumber target", "Klaim dilaporkan", "Klaim dibayar",
         "Nilai klaim dibayar (Rp)", "Tagihan (Rp)", "Dibayar (Rp)")  # fmt: skip


def _cells(f: Figures) -> list[Any]:
    return [f.code, f.name, f.registered, f.members, f.covered, f.arrears, f.lapsed, f.new, f.stopped, f.target,
            f.coverage_pct, f.target_source, f.claims_filed, f.claims_paid, f.claims_paid_amount, f.billed_amount,
            f.paid_amount]  # fmt: skip


def report_xlsx(report: Report) -> bytes:
    """The region's row first, then one row per group; numbers as numbers (a budget officer sums them)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Cakupan")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, [f"Cakupan {report.region.name} {report.period}"], bold)
    sheet.write_row(2, 0, HEADS, bold)
    sheet.write_row(3, 0, _cells(report.region), bold)
    for i, row in enumerate(report.rows):
        sheet.write_row(4 + i, 0, _cells(row))
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 32)
    sheet.set_column(2, len(HEADS), 13)
    sheet.freeze_panes(3, 2)
    book.close()
    return out.getvalue()


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} %".replace(".", ",")


def _n(value: int | None) -> str:
    return "-" if value is None else f"{value:,}".replace(",", ".")


@lru_cache(maxsize=2)
def _features(name: str) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = json.loads((GEO / name).read_text(encoding="utf-8"))["features"]
    return features


def geo_features(*, level: int, province: str = "") -> dict[str, Any]:
    """The shipped boundaries (cahyadsn/wilayah_boundaries, MIT): the provinces, or one province's regencies."""
    if level == 1:
        return {"type": "FeatureCollection", "features": _features("provinsi_2025.geojson")}
    chosen = [f for f in _features("kabkota_2025.geojson") if str(f["id"]).startswith(province + ".")]
    return {"type": "FeatureCollection", "features": chosen}


SHADES = ((0, (222, 235, 247)), (10, (158, 202, 225)), (25, (107, 174, 214)), (50, (49, 130, 189)),
          (75, (8, 81, 156)))  # fmt: skip


def shade(pct: float | None) -> tuple[int, int, int]:
    if pct is None:
        return (235, 235, 235)
    colour = SHADES[0][1]
    for low, rgb in SHADES:
        if pct >= low:
            colour = rgb
    return colour


def _draw_map(pdf: FPDF, *, level: int, rows: list[Figures], province: str, x: float, y: float, w: float,
              h: float) -> None:  # fmt: skip
    geo = geo_features(level=level, province=province)["features"]
    by_code = {r.code: r for r in rows}
    shapes = [(str(f["id"]), ring) for f in geo for poly in f["geometry"]["coordinates"] for ring in poly[:1]]
    if not shapes:
        return
    xs = [p[0] for _, ring in shapes for p in ring]
    ys = [p[1] for _, ring in shapes for p in ring]
    sx, sy = w / max(max(xs) - min(xs), 1e-6), h / max(max(ys) - min(ys), 1e-6)
    scale = min(sx, sy)
    pdf.set_draw_color(255, 255, 255)
    pdf.set_line_width(0.1)
    for code, ring in shapes:
        found = by_code.get(code)
        pdf.set_fill_color(*shade(found.coverage_pct if found else None))
        points = [(x + (p[0] - min(xs)) * scale, y + (max(ys) - p[1]) * scale) for p in ring[::2] or ring]
        if len(points) >= 3:
            pdf.polygon(points, style="DF")
    pdf.set_draw_color(0, 0, 0)


def _draw_trend(pdf: FPDF, trend: list[Figures], *, x: float, y: float, w: float, h: float) -> None:
    top = max([t.covered for t in trend] + [1])
    step = w / max(len(trend), 1)
    pdf.set_font("Helvetica", "", 6)
    pdf.set_fill_color(49, 130, 189)
    for i, t in enumerate(trend):
        bar = h * t.covered / top
        pdf.rect(x + i * step + 1, y + h - bar, step - 2, bar, style="F")
        pdf.text(x + i * step + 1, y + h + 3, t.code[2:])
        pdf.text(x + i * step + 1, y + h - bar - 1, _n(t.covered))


def report_pdf(*, report: Report, trend: list[Figures], viewer: Viewer) -> bytes:
    """The coverage report of a region and month, for signing: the figures, a chart of the year, the map (a
    province's regencies or the provinces), the villages below their 1 Desa 100 goal, a place to sign."""
    r = report.region
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    letterhead(pdf, office_of(region_code=r.code))
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, printable(f"Laporan cakupan jaminan sosial pekerja rentan: {r.name}"), new_x="LMARGIN",
             new_y="NEXT")  # fmt: skip
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 5, printable(f"Bulan {report.period}; dicetak {timezone.localdate():%d-%m-%Y}"), new_x="LMARGIN",
             new_y="NEXT")  # fmt: skip
    pdf.ln(2)
    facts = [("Pekerja terdaftar", _n(r.registered)), ("Peserta (ditagih bulan ini)", _n(r.members)),
             ("Terlindungi (iuran lunas)", _n(r.covered)), ("Menunggak", _n(r.arrears)),
             ("Lewat masa bayar", _n(r.lapsed)), ("Target (penyebut)", f"{_n(r.target)} - {r.target_source}"),
             ("Cakupan", _pct(r.coverage_pct)), ("Klaim dibayar", f"{_n(r.claims_paid)} (Rp {_n(r.claims_paid_amount)})")]  # fmt: skip
    fact_lines(pdf, facts, label_width=55)
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, "Terlindungi 12 bulan terakhir", new_x="LMARGIN", new_y="NEXT")
    _draw_trend(pdf, trend, x=pdf.l_margin, y=pdf.get_y() + 4, w=180, h=35)
    pdf.set_y(pdf.get_y() + 46)
    level, rows = coverage_map(viewer=viewer, region_code=r.code, period=Period.parse(report.period))
    if rows and level in (1, 2):
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, "Peta cakupan" + (" per provinsi" if level == 1 else " per kabupaten/kota"),
                 new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        _draw_map(
            pdf, level=level, rows=rows, province=r.code[:2], x=pdf.l_margin, y=pdf.get_y() + 2, w=180, h=70
        )
        pdf.set_y(pdf.get_y() + 74)
        pdf.set_font("Helvetica", "", 7)
        pdf.cell(0, 4, "Warna: abu-abu tanpa angka; makin gelap makin tinggi cakupan (0, 10, 25, 50, 75 %).",
                 new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    if report.rows:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, "Rincian", new_x="LMARGIN", new_y="NEXT")
        pdf.set_fill_color(221, 235, 247)
        table(pdf, (28, 62, 22, 22, 22, 24), ("Kode", "Nama", "Terdaftar", "Terlindungi", "Target", "Cakupan"),
              ([f.code, f.name[:38], _n(f.registered), _n(f.covered), _n(f.target), _pct(f.coverage_pct)]
               for f in report.rows[:300]))  # fmt: skip
    if r.level < 4:
        goals = village_goals(viewer=viewer, region_code=r.code, period=Period.parse(report.period))
        below = goals.below
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, printable(f"1 Desa 100: {goals.reached} dari {len(goals.villages)} desa mencapai target; "
                                 f"desa di bawah target ({len(below)})"), new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        pdf.set_fill_color(221, 235, 247)
        table(pdf, (34, 80, 30, 30), ("Kode", "Desa", "Terlindungi", "Target"),
              ([v.code, v.name[:48], _n(v.covered), _n(v.target)] for v in below[:200]))  # fmt: skip
        if len(below) > 200:
            pdf.set_font("Helvetica", "", 8)
            pdf.cell(0, 5, f"... dan {len(below) - 200} desa lagi (lihat berkas .xlsx).", new_x="LMARGIN",
                     new_y="NEXT")  # fmt: skip
    pdf.ln(10)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, printable(f"Mengetahui, Kepala Daerah {r.name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(18)
    pdf.cell(0, 6, "(.................................................)", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
