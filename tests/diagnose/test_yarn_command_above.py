"""Yarn 2+'s "Unknown Syntax Error: Command not found" names no command: the one it was given is
read from its invocation just above (prisma/ecosystem-tests #1788: "--- yarn prisma -v ---" echoed by
the job's script). Names are ours."""

from __future__ import annotations

from smartmon.diagnose.program_fill_ins import yarn_command_above

NOT_FOUND = "Unknown Syntax Error: Command not found; did you mean one of:"


def test_the_echoed_invocation_names_the_command() -> None:
    before = ["Assumed OS: linux", "--- yarn prisma -v ---"]
    assert yarn_command_above(NOT_FOUND, before) == "prisma"


def test_a_run_header_and_yarn_run_name_it_too() -> None:
    assert yarn_command_above(NOT_FOUND, ["Run yarn run lint:types"]) == "lint:types"
    assert yarn_command_above(NOT_FOUND, ["+ yarn codegen --watch=false"]) == "codegen"


def test_no_yarn_invocation_names_nothing() -> None:
    before = ["Run bash .github/scripts/test-project.sh packagers yarn2-without-pnp"]
    assert yarn_command_above(NOT_FOUND, before) is None


def test_another_message_is_not_read() -> None:
    assert yarn_command_above("error Command failed with exit code 1.", ["Run yarn build"]) is None


def test_clipanions_while_running_below_names_it_before_the_run_block() -> None:
    # a run block's listing ("yarn build" under "Run yarn prisma -v") is not an invocation
    before = ["##[group]Run yarn prisma -v", "yarn prisma -v", "yarn build", "##[endgroup]"]
    after = ["", "  0. yarn run [--inspect] <scriptName> ...", "", "While running prisma -v"]
    assert yarn_command_above(NOT_FOUND, before, after) == "prisma"
    assert yarn_command_above(NOT_FOUND, ["yarn prisma -v", "yarn build"]) is None
