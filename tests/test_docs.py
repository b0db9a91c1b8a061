"""The README's set-up commands, CLI help and docs stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsloom.cli import COMMANDS, build_parser, main
from newsloom.config import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _setup_commands() -> list[str]:
    head = README.split("\n## ", 1)[0]
    block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", head, re.S)
    assert block, "README must open with a code block of set-up commands"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_setup_commands() -> None:
    commands = _setup_commands()
    assert len(commands) == 2
    assert "newsloom demo" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _setup_commands()[1] in ci.splitlines()


def test_every_command_is_in_help_and_readme(capsys: pytest.CaptureFixture[str]) -> None:
    main_help = build_parser().format_help()
    for name in COMMANDS:
        assert name in main_help, f"{name} missing from newsloom --help"
        assert f"newsloom {name}" in README, f"{name} missing from README"


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for name in COMMANDS:
        with pytest.raises(SystemExit) as exit_info:
            main([name, "--help"])
        assert exit_info.value.code == 0
        out = capsys.readouterr().out
        # --db, --config and --version are global: every sub-command accepts them after its name too
        assert "--db" in out and "--config" in out and "--version" in out, name
        assert "--json" in out or not COMMANDS[name].json, name


def test_every_setting_is_documented() -> None:
    docs = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for field in Settings.__dataclass_fields__:
        assert f"`{field}`" in docs, f"setting {field} missing from docs/settings.md"
