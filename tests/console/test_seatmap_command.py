"""`boxoffice seatmap PERFORMANCE_ID --output map.svg` writes the console's picture to a file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from boxoffice.bootstrap import Boxoffice
from boxoffice.cli import main
from tests.console.test_pages import sell_two_seats
from tests.contract import catalog
from tests.contract.conftest import Reseller


def test_the_command_draws_sold_seats_with_a_legend_and_refuses_an_unknown_performance(
    app: Boxoffice,
    reseller: Reseller,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sell_two_seats(reseller)
    monkeypatch.setenv("BOXOFFICE_DATABASE_URL", str(app.engine.url))
    # The command configures logging onto this test's captured stderr; later tests need theirs.
    monkeypatch.setattr("boxoffice.logging_setup.configure_logging", lambda level: None)
    output = tmp_path / "map.svg"

    assert main(["seatmap", str(catalog.PERFORMANCE), "--output", str(output)]) == 0
    svg = output.read_text()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "<style>" in svg
    sold = re.search(r'<path class="s" data-state="s" d="([^"]*)"', svg)
    assert sold and sold.group(1).count("M") == 2
    assert "sold: 2" in svg and "free: 28" in svg and "North" in svg and "Good" in svg
    assert "sold" in capsys.readouterr().out

    main(["seatmap", str(catalog.PERFORMANCE), "--output", str(output), "--channel", "2"])
    assert "outside your contingent: 24" in output.read_text()  # North is A's
    assert main(["seatmap", "999", "--output", str(tmp_path / "none.svg")]) == 2
    assert "no performance 999" in capsys.readouterr().err
