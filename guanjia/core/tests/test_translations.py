"""Simplified Chinese is the default language: every English message id needs a translation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
CATALOGUE = Path("locale") / "zh_Hans" / "LC_MESSAGES" / "django.po"
SOURCES = ["guanjia", "templates", "config", "manage.py", "locale"]
SKIP = shutil.ignore_patterns("tests", "__pycache__", "migrations", "*.mo")


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> polib.POFile:
    """The committed catalogue merged (in a copy of the tree) with every string marked today."""
    tree = tmp_path_factory.mktemp("tree")
    for name in SOURCES:
        source = BASE / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=SKIP)
        else:
            shutil.copy(source, tree / name)
    env = {**os.environ, "GUANJIA_VAR_DIR": str(tree / "var")}
    subprocess.run(  # our own manage.py with fixed arguments
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v0"],
        cwd=tree,
        env=env,
        check=True,
    )
    return polib.pofile(str(tree / CATALOGUE))


def test_every_marked_string_has_a_chinese_translation(fresh_catalogue):
    missing = [e.msgid for e in fresh_catalogue if not e.translated()]
    assert not missing, f"{len(missing)} messages without zh-hans translation: {missing[:20]}"


def test_no_translation_is_fuzzy(fresh_catalogue):
    fuzzy = [e.msgid for e in fresh_catalogue if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy (unchecked) translations: {fuzzy[:20]}"
