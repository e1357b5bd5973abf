"""Rewrite `::set-output`/`::save-state`/`::set-env`/`::add-path` echo lines to environment files.

`echo "::set-output name=x::v"` becomes `echo "x=v" >> "$GITHUB_OUTPUT"` (bash/sh) or
`echo "x=v" >> $env:GITHUB_OUTPUT` (pwsh), wherever the `echo` stands as a command: alone, after
`;`/`&&`/`||`/`then`, with quoted or unquoted values and command substitutions. A value escaped for
workflow commands (`%0A`, `%0D`, `%25`, in the value or anywhere in the script) is written in bash
with a random multi-line delimiter after undoing the escapes as the runner did (`_UNESCAPING`).
Anything else (pipes, escapes outside bash, python `print`, backticks, cmd, unknown shells) is
reported with its line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from smartmon.fixers.target import (
    edit_fix,
    finding_line,
    guarded,
    load,
    load_target,
    local_actions,
    reason,
)
from smartmon.model import Finding, Fix, IssueType
from smartmon.workflows import (
    EditError,
    ScriptLine,
    body,
    get_path,
    parse,
    rewrite_scalars,
    script_lines,
    split_lines,
    step_shell,
    to_plain,
    verify,
)

if TYPE_CHECKING:
    from smartmon.fixers.registry import FixContext
    from smartmon.fixers.workspace import Workspace

HANDLES = IssueType.DEPRECATED_COMMAND

FILES = {
    "set-output": "GITHUB_OUTPUT",
    "save-state": "GITHUB_STATE",
    "set-env": "GITHUB_ENV",
    "add-path": "GITHUB_PATH",
}
COMMAND = re.compile(r"::(?P<cmd>set-output|save-state|set-env|add-path)\b")
# `echo`/`Write-Output` as a command of its own: at the line's start or after a separator.
_ECHO_AT = re.compile(
    r"(?:^|(?<=;)|(?<=&&)|(?<=\|\|)|(?<=\{)|(?<=\bthen[ \t])|(?<=\bdo[ \t])|(?<=\belse[ \t]))"
    r"[ \t]*(?P<echo>echo|Write-Output)[ \t]+"
)
_PREFIX = re.compile(
    r"::(?:(?P<cmd>set-output|save-state|set-env)[ \t]+name=(?P<name>[\w.-]+)|(?P<path>add-path))::"
)
# The escapes the runner undid in a command's data (ordinal, so `%0a` stays as it is).
_DATA_ESCAPES = re.compile(r"%(?:25|0A|0D)")
_ENDS = frozenset(";&|")
# `${x:=y}`/`${x=y}` assign in the calling shell: inside the rewrite's subshell they would not.
_ASSIGNS = re.compile(r"\$\{[^}]*?:?=")
# What the runner did with a `::cmd name=N::data` line (RUNNER ActionCommand.TryParseV2): data is
# the rest of the line (stdout lines end at \n or \r), then %0D -> CR, %0A -> LF and, last,
# %25 -> %. The subshell recomputes the echo's words with the `::cmd name=N::` prefix cut to `::`
# (`set --` expands them as `echo` did, `$*` joins them with a space as `echo` does), keeps the
# first line, undoes the escapes, and appends `N<<delimiter` lines: the delimiter is random per run
# so no value can end the block early.
_UNESCAPING = (
    "( set -- {args}; IFS=' '; v=\"$*\"; v=${{v#::}}; n=$'\\n'; r=$'\\r'; "
    "v=${{v%%\"$n\"*}}; v=${{v%%\"$r\"*}}; v=${{v//'%0D'/$r}}; v=${{v//'%0A'/$n}}; "
    "v=${{v//'%25'/%}}; d=ghadelimiter_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \\n'); "
    'printf \'%s<<%s\\n%s\\n%s\\n\' {name} "$d" "$v" "$d" >> "${file}" )'
)


def _scan_words(text: str, start: int, *, pwsh: bool) -> tuple[int, bool]:
    """Where the command starting at `start` ends (index), and whether its quoting is balanced.

    Tracks single and double quotes, `$(...)` nesting and backticks (bash) or the backtick escape
    (pwsh), so `$(python -c "a; b")` is one word and `;` inside it does not end the command.
    """
    stack: list[str] = []  # open contexts: "'" and '"' quotes, "(" for $( ... )
    i = start
    while i < len(text):
        ch = text[i]
        top = stack[-1] if stack else ""
        if top == "'":
            if ch == "'":
                stack.pop()
        elif (ch == "\\" and not pwsh) or (ch == "`" and pwsh):
            i += 1  # an escaped character
        elif ch == "`":
            return i, False  # legacy command substitution: leave it to a human
        elif text.startswith("$(", i):
            stack.append("(")
            i += 1
        elif top == '"':
            if ch == '"':
                stack.pop()
        elif ch in "'\"":
            stack.append(ch)
        elif ch == ")" and top == "(":
            stack.pop()
        elif not stack and (
            ch in _ENDS or ch in "<>)" or (ch == "#" and (i == 0 or text[i - 1] in " \t"))
        ):
            return i, True
        i += 1
    return i, not stack


def rewrite_line(content: str, shell: str | None, *, escaped: bool = False) -> str | None:
    """The environment-file form of one script line, or None when it is not safely rewritable.

    The `echo` may stand alone or follow `;`, `&&`, `||`, `then`, `do`, `else`; its argument may
    be quoted or not and hold command substitutions. The line keeps everything else byte for byte:
    only the `::cmd name=X::` prefix becomes `X=` and the output is appended to the file. With
    `escaped` (the script %-escapes values for workflow commands) or a %-escape in the value, the
    echo becomes the unescaping subshell (bash only).
    """
    if shell not in ("bash", "sh", "pwsh"):
        return None
    pwsh = shell == "pwsh"
    for match in _ECHO_AT.finditer(content):
        arg = match.end()
        if match.start() > 0 and not _balanced_before(content, match.start(), pwsh=pwsh):
            continue
        quote = content[arg] if content[arg : arg + 1] in ("'", '"') else ""
        prefix = _PREFIX.match(content, arg + len(quote))
        if prefix is None:
            continue
        if match["echo"] == "Write-Output" and not pwsh:
            return None
        end, balanced = _scan_words(content, arg, pwsh=pwsh)
        rest = content[end:].lstrip(" \t")
        if not balanced or (rest[:1] in ("|", "<", ">") and not rest.startswith("||")):
            return None  # piped or redirected: the runner never saw it as a command
        value = content[prefix.end() : end]
        cmd = prefix["cmd"] or "add-path"
        word_end = len(content[:end].rstrip(" \t"))
        if escaped or _DATA_ESCAPES.search(value):
            # The runner unescaped these in ::commands; environment files take values verbatim.
            args = content[arg : prefix.start()] + "::" + content[prefix.end() : word_end]
            if shell != "bash" or cmd == "add-path" or _ASSIGNS.search(args):
                return None
            literal = _literal(args)
            if literal is not None:
                line = _literal_block(prefix["name"], literal, FILES[cmd])
            else:
                line = _UNESCAPING.format(args=args, name=prefix["name"], file=FILES[cmd])
            return content[: match.start("echo")] + line + content[word_end:]
        payload = "" if cmd == "add-path" else f"{prefix['name']}="
        target = f"$env:{FILES[cmd]}" if pwsh else f'"${FILES[cmd]}"'
        return (
            content[: arg + len(quote)]
            + payload
            + content[prefix.end() : word_end]
            + f" >> {target}"
            + content[word_end:]
        )
    return None


_PLAIN_WORD = re.compile(r"[\w.,:/%+=@-]*")


def _literal(args: str) -> str | None:
    """The value a literal echo argument (`'::a%0Ab'`, `"::x"`, `::x`) gave the runner, or None
    when the shell computes it (variables, substitutions, escapes, several words)."""
    quote, inner = args[:1], args[1:-1]
    single = quote == "'" and "'" not in inner
    double = quote == '"' and not re.search(r"[$`\\\"!]", inner)
    if len(args) > 1 and args[-1] == quote and (single or double):
        text = inner
    elif _PLAIN_WORD.fullmatch(args):
        text = args
    else:
        return None
    value = text.removeprefix("::")
    unescaped = value.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
    return None if "\r" in unescaped else unescaped


def _literal_block(name: str, value: str, file: str) -> str:
    """`printf '%s\\n' 'N<<EOF' 'line' ... EOF >> "$FILE"`: the value is known, so is a safe
    delimiter."""
    lines = value.split("\n")
    delimiter, n = "EOF", 0
    while delimiter in lines:
        n += 1
        delimiter = f"EOF_{n}"
    quoted = " ".join("'" + line.replace("'", "'\\''") + "'" for line in lines)
    return f"printf '%s\\n' '{name}<<{delimiter}' {quoted} {delimiter} >> \"${file}\""


def _balanced_before(content: str, stop: int, *, pwsh: bool) -> bool:
    """True when the text before `stop` closes every quote and `$(` and opens no comment."""
    head, i = content[:stop], 0
    while i < stop:
        end, balanced = _scan_words(head, i, pwsh=pwsh)
        if not balanced or (end < stop and head[end] == "#"):
            return False
        i = end + 1
    return True


def is_comment(content: str) -> bool:
    return content.lstrip().startswith("#")


_HEREDOC = re.compile(r"<<-?\s*(?P<q>['\"]?)(?P<word>[A-Za-z_][\w-]*)(?P=q)")


def command_lines(lines: list[str], doc: Any) -> list[tuple[ScriptLine, str, str | None]]:
    """(script line, command, rewritten line or None) for each deprecated command in a script.

    A line inside a heredoc or continuing the previous line (`\\`) is data, not a command: it is
    reported but never rewritten. In a script that escapes values for workflow commands (`%0A`)
    every command gets the unescaping form.
    """
    out: list[tuple[ScriptLine, str, str | None]] = []
    shells: dict[tuple[int, int], str | None] = {}
    site: tuple[int, int] | None = None
    heredoc: str | None = None
    continued = False
    for script in script_lines(lines, doc):
        key = (script.site.line, script.site.col)
        if key != site:
            site, heredoc, continued = key, None, False
        content = script.content
        data_line = heredoc is not None or continued
        if heredoc is not None and content.strip() == heredoc:
            heredoc = None
        elif heredoc is None and (opener := _HEREDOC.search(content)):
            heredoc = opener["word"]
        continued = content.rstrip().endswith("\\")
        match = COMMAND.search(content)
        if match is None or is_comment(content):
            continue
        if key not in shells:
            shells[key] = step_shell(doc, script.site)
        # A script that escapes values for ::commands (%0A, %25) may do it lines before the echo.
        escaped = bool(_DATA_ESCAPES.search(script.site.value))
        editable = script.editable and not data_line
        new = rewrite_line(content, shells[key], escaped=escaped) if editable else None
        out.append((script, match["cmd"], new))
    return out


@guarded(HANDLES)
def plan(finding: Finding, ws: Workspace, ctx: FixContext) -> Fix | None:
    command = finding.data.get("command", "").strip().lstrip(":")
    title = f"replace ::{command or 'workflow commands'} with environment files"
    loaded = load_target(finding, ws, ctx, HANDLES, title)
    if isinstance(loaded, Fix):
        return loaded
    path = loaded.path
    lines = split_lines(loaded.text)
    found = [c for c in command_lines(lines, loaded.doc) if not command or c[1] == command]
    at = finding_line(finding)
    if at is not None:
        found = [c for c in found if c[0].line == at]
        if not found:
            return None  # already fixed by an earlier fix of this run
    if not found and at is None:
        # The command may sit in a local composite action the workflow calls (`uses: ./x`).
        for local in local_actions(ws, loaded.doc):
            candidate = load(ws, local)
            if isinstance(candidate, str):
                continue
            hits = command_lines(split_lines(candidate.text), candidate.doc)
            hits = [c for c in hits if not command or c[1] == command]
            if hits:
                loaded, found, path = candidate, hits, local
                break
    if not found:
        return reason(
            HANDLES,
            path,
            title,
            f"{path}: no `::{command or 'set-output'}` in a run: script here; it may come from an "
            "action: bump that action instead",
        )
    fixable = [(s, new) for s, _, new in found if new is not None]
    if not fixable:
        first = found[0][0]
        return reason(
            HANDLES,
            path,
            title,
            f"{path}:{first.line + 1}: not a plain echo in a bash/sh/pwsh step, or its value is "
            "%-escaped for workflow commands outside bash (use a multi-line delimiter); "
            f'rewrite it by hand to append "name=value" to ${FILES[found[0][1]]}',
        )
    try:
        new_text = _apply(loaded.text, loaded.doc, fixable)
    except EditError as exc:
        return reason(HANDLES, path, title, f"{path}: {exc}")
    left = len(found) - len(fixable)
    description = f"rewrite {len(fixable)} workflow command line(s) to environment files"
    if left:
        description += f" ({left} left for a human: not a plain echo)"
    return edit_fix(HANDLES, loaded, new_text, description)


def _apply(text: str, doc: Any, fixable: list[tuple[ScriptLine, str]]) -> str:
    inline = [(s, new) for s, new in fixable if s.inline]
    block = [(s, new) for s, new in fixable if not s.inline]
    if inline:
        text = rewrite_scalars(text, doc, [(s.site, new) for s, new in inline])
        doc = parse(text)
    lines = split_lines(text)
    for script, new in block:
        lines[script.line] = new + body(lines[script.line])[1]
    new_text = "".join(lines)
    new_doc = verify(text, new_text, allowed={s.line for s, _ in block})
    _check_scripts(doc, new_doc, block)
    return new_text


def _check_scripts(old: Any, new: Any, block: list[tuple[ScriptLine, str]]) -> None:
    """Everything is unchanged except the rewritten script lines, each exactly as intended."""
    old_plain, new_plain = to_plain(old), to_plain(new)
    for path in {s.site.path for s, _ in block}:
        old_lines = str(get_path(old, path)).split("\n")
        new_lines = str(get_path(new, path)).split("\n")
        if len(old_lines) != len(new_lines):
            raise EditError("a rewritten script changed its number of lines")
        wanted = {s.content.strip(): new.strip() for s, new in block if s.site.path == path}
        for before, after in zip(old_lines, new_lines, strict=True):
            if before != after and wanted.get(before.strip()) != after.strip():
                raise EditError("a rewritten script line is not the intended one")
        node_old, node_new = old_plain, new_plain
        for key in path[:-1]:
            node_old = node_old[key if isinstance(key, int) else str(key)]
            node_new = node_new[key if isinstance(key, int) else str(key)]
        node_old[str(path[-1])] = node_new[str(path[-1])] = None
    if old_plain != new_plain:
        raise EditError("the rewrite changed something besides the script lines")
