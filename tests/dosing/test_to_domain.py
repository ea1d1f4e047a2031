"""Content rows give their domain object (``to_domain()``, issue 18): views and services ask the
row, never read its raw document."""

from __future__ import annotations

import pytest

from dosing.models import ContentStatus, Regimen
from myeloma_core.regimen import RegimenSpec
from myeloma_core.treatment import Guideline as DomainGuideline
from myeloma_core.vocabulary import Setting
from treatment.models import Guideline

pytestmark = pytest.mark.django_db


def test_a_regimen_version_gives_its_validated_spec() -> None:
    version = Regimen.objects.get(slug="isa-pd").versions.get(status=ContentStatus.PUBLISHED)
    spec = version.to_domain()
    assert isinstance(spec, RegimenSpec)
    assert spec.slug == "isa-pd"
    assert spec.max_cycles == version.definition.get("max_cycles")
    assert version.to_domain() is spec  # memoised on the definition


def test_a_guideline_gives_its_domain_guideline_with_notes_per_setting() -> None:
    row = Guideline.objects.get(status=ContentStatus.PUBLISHED)
    guideline = row.to_domain()
    assert isinstance(guideline, DomainGuideline)
    assert (guideline.slug, guideline.version) == (row.slug, row.version)
    assert set(guideline.setting_notes) == {Setting(key) for key in row.setting_notes}
