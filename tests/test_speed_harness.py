"""benchmarks/speed.py runs end to end on two real pages and prints the figures the issue's speed
targets are set on (skips cleanly when ../shared is absent). The figures themselves are noise at
this size: the harness is what is checked, not the speed."""

from __future__ import annotations

import importlib
import re
import sys
from types import ModuleType

import pytest

from tests.conftest import ROOT, needs_shared


@pytest.fixture
def speed(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    monkeypatch.delitem(sys.modules, "speed", raising=False)
    return importlib.import_module("speed")


def test_speed_prints_both_ratios_and_the_cache_effect(speed: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("trafilatura")
    root = needs_shared("benchmarks", "scrapinghub")
    assert speed.main([str(root), "--limit", "2", "--repeat", "1", "--cache"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"HTML mode / trafilatura alone:\s+\d+\.\d{3}\s+\(target <= 1\.10\)", out)
    assert re.search(r"text mode / one extraction \(trafilatura\):\s+\d+\.\d%.*right after extracting", out)
    assert re.search(r"in whole passes: trafilatura \d+\.\d\d ms/page, text \d+\.\d\d ms/page: \d+\.\d%", out)
    assert re.search(r"right after another text: \d+\.\d\d ms/page, a 4 MB copy: \d+\.\d\d ms/page \(x\d+\.\d\d\)", out)
