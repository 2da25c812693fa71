"""`backrelief instruments list` and `backrelief instruments import FILE` (issue 3 §5).

`list` shows each questionnaire, its edition, definition version and the wording in use.
`import` installs licensed wording after checking it against our definition (same instrument,
items, order and option values); afterwards results name that wording instead of
BackRelief's plain-language summary. A rejected file installs nothing and exits 2 with the
field at fault on stderr.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backrelief.assessment.instruments import INSTRUMENTS, SUMMARY_WORDING
from backrelief.assessment.management.commands.score import EXIT_USAGE, describe
from backrelief.assessment.wording import installed_wordings, wording_dir, wording_import
from backrelief.core.errors import Invalid


class Command(BaseCommand):
    help = "Questionnaire definitions. Subcommands: list, import FILE (licensed wording)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="list|import")
        subcommands.add_parser("list", help="Each instrument and the wording in use.")
        imports = subcommands.add_parser(
            "import", help="Install licensed wording for one instrument from a JSON file."
        )
        imports.add_argument("file", metavar="FILE", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["subcommand"] == "import":
                self._import(options["file"])
            else:
                self._list()
        except Invalid as exc:
            raise CommandError(describe(exc), returncode=EXIT_USAGE) from None

    def _import(self, path: Path) -> None:
        wording = wording_import(path)
        self.stdout.write(
            self.style.SUCCESS(
                f"Installed {wording.label!r} for {wording.instrument} "
                f"in {wording_dir() / (wording.instrument + '.json')}; "
                "results now name this wording."
            )
        )

    def _list(self) -> None:
        wordings = installed_wordings()
        for code, definition in INSTRUMENTS.items():
            wording = wordings[code]
            label = SUMMARY_WORDING if wording is None else wording.label
            self.stdout.write(
                f"{code:<6} v{definition.version}  {len(definition.items):>2} items  "
                f"{definition.edition}  wording: {label}"
            )
