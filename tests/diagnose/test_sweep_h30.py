"""Second sweep of code generation, scanners and build systems: facts shared by every rule."""

from smartmon.diagnose.linters import own_step_linter


def test_goimports_step_names_the_tool_of_a_gofmt_shaped_diff() -> None:
    # goimports -d prints gofmt's "diff -u x.go.orig x.go" header; the step says which ran.
    before = ("Run goimports -d . | tee /tmp/d && test ! -s /tmp/d",)
    assert (
        own_step_linter(before, "Run goimports -d . | tee /tmp/d && test ! -s /tmp/d")
        == "goimports"
    )


def test_gofumpt_step_names_the_tool() -> None:
    assert own_step_linter((), "Run gofumpt -d .") == "gofumpt"


def test_a_step_naming_two_linters_names_none() -> None:
    assert own_step_linter((), "Run goimports -l . && golangci-lint run") is None
