"""User mistakes in the options are the user's: a clear message in their language, exit 2."""

from __future__ import annotations

import pytest

from audit import OptionError, run_audit
from audit.cli import main
from audit.report.write import LOCK_NAME


def test_an_unknown_time_zone_is_refused_before_reading_with_a_suggestion():
    with pytest.raises(OptionError) as caught:
        run_audit(["no-such-file.xlsx"], assume_tz="Bogota")
    assert caught.value.message.render("es") == (
        "Zona horaria desconocida: «Bogota». Use un nombre IANA, por ejemplo America/Bogota.")


@pytest.mark.parametrize(("zone", "lang", "said"), [
    ("Bogota", "es", "Zona horaria desconocida: «Bogota». Use un nombre IANA, por ejemplo "
                     "America/Bogota."),
    ("mexico city", "en", "Unknown time zone: 'mexico city'. Use an IANA name, for example "
                          "America/Mexico_City."),
    ("Mars/Base", "en", "Unknown time zone: 'Mars/Base'. Use an IANA name, for example "
                        "America/Bogota."),
])
def test_the_command_line_says_it_in_one_line_and_exits_2(zone, lang, said, tmp_path, capsys):
    status = main(["run", "x.xlsx", "--out", str(tmp_path), "--timezone", zone, "--lang", lang])
    err = capsys.readouterr().err
    assert status == 2
    assert err.strip() == said
    # nothing written for an audit that did not run (the folder's lock is not a result)
    assert [p.name for p in tmp_path.iterdir()] in ([], [LOCK_NAME])
