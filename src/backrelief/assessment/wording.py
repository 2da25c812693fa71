"""Licensed questionnaire wording installed on this server (DOMAIN §4.0 point 4, §4.7).

The repository ships only BackRelief's plain-language summaries. A licence holder installs
the licensed wording with `backrelief instruments import FILE`; it is checked against our
definition (`instruments.licensed.parse_wording`) and kept in `<VAR_DIR>/instruments/<code>.json`,
outside the repository. Results then name that wording instead of the summary. Files only, no
database, so not a service; the directory is derived from `settings.VAR_DIR`.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from backrelief.assessment.instruments import INSTRUMENT_CODES, get_instrument
from backrelief.assessment.instruments.licensed import Wording, parse_wording
from backrelief.core.errors import Invalid


def wording_dir() -> Path:
    return Path(settings.VAR_DIR) / "instruments"


def _read(path: Path, field: str) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        message = _("Cannot read %(path)s as UTF-8 JSON: %(problem)s") % {
            "path": path,
            "problem": exc,
        }
        raise Invalid(message, fields={field: [message]}) from None


def installed_wording(instrument: str) -> Wording | None:
    """The licensed wording installed for `instrument`, or None (BackRelief's summary).

    An installed file is checked again, in case the definition changed since it was imported;
    a mismatch is an error telling the operator to import it again, never a silent fallback.
    """
    code = get_instrument(instrument).code
    path = wording_dir() / f"{code}.json"
    if not path.exists():
        return None
    data = _read(path, "wording")
    try:
        wording = parse_wording(data if isinstance(data, dict) else {}, source=str(path))
    except Invalid as exc:
        raise Invalid(
            _("%(problem)s Import the licensed wording again: backrelief instruments import FILE")
            % {"problem": exc.message},
            fields=exc.fields,
        ) from None
    if wording.instrument != code:
        message = _("%(path)s holds wording for %(other)s; import it again.") % {
            "path": path,
            "other": wording.instrument,
        }
        raise Invalid(message, fields={"wording": [message]})
    return wording


def installed_wordings() -> dict[str, Wording | None]:
    """Every instrument with the wording in use (None: BackRelief's summary)."""
    return {code: installed_wording(code) for code in INSTRUMENT_CODES}


def wording_import(path: Path) -> Wording:
    """Validate a licensed-wording file and install it, replacing any earlier wording for the
    same instrument. Nothing is written unless the whole file is valid; the write is atomic
    (temporary file, then rename), so readers see the old or the new file, never half of one."""
    data = _read(path, "file")
    if not isinstance(data, dict):
        message = _("%(path)s must hold one JSON object.") % {"path": path}
        raise Invalid(message, fields={"file": [message]})
    wording = parse_wording(data, source=path.name)
    target_dir = wording_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    handle, temporary = tempfile.mkstemp(dir=target_dir, prefix=".import-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target_dir / f"{wording.instrument}.json")
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return wording
