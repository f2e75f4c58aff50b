"""Which importers and exporters exist: each app lists its own on its AppConfig.

    class AccountsConfig(AppConfig):
        importers = ["guanjia.accounts.importers.StaffImporter"]
        exporters = ["guanjia.accounts.importers.StaffExporter"]

`register_importer` / `register_exporter` add one more (tests use them for sample kinds).
"""

from __future__ import annotations

from django.apps import apps
from django.http import Http404
from django.utils.module_loading import import_string

from .base import Exporter, Importer

_importers: dict[str, type[Importer]] = {}
_exporters: dict[str, type[Exporter]] = {}
_loaded = False


def _load() -> None:
    global _loaded  # a lazily filled module registry
    if _loaded:
        return
    for config in apps.get_app_configs():
        for path in getattr(config, "importers", []):
            cls = import_string(path)
            _importers.setdefault(cls.code, cls)
        for path in getattr(config, "exporters", []):
            cls = import_string(path)
            _exporters.setdefault(cls.code, cls)
    _loaded = True


def register_importer(cls: type[Importer]) -> type[Importer]:
    _load()
    _importers[cls.code] = cls
    return cls


def register_exporter(cls: type[Exporter]) -> type[Exporter]:
    _load()
    _exporters[cls.code] = cls
    return cls


def unregister(code: str) -> None:
    """Forget an importer and exporter of that code (for tests)."""
    _importers.pop(code, None)
    _exporters.pop(code, None)


def get_importer(code: str) -> type[Importer]:
    """The importer of that code; Http404 for an unknown code (it comes from a URL)."""
    _load()
    try:
        return _importers[code]
    except KeyError as exc:
        raise Http404 from exc


def get_exporter(code: str) -> type[Exporter]:
    _load()
    try:
        return _exporters[code]
    except KeyError as exc:
        raise Http404 from exc


def importers() -> list[type[Importer]]:
    _load()
    return sorted(_importers.values(), key=lambda cls: cls.code)
