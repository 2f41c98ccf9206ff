"""The ``crisis-audit`` command line: a thin typer layer over the importable API.

Nothing here imports spaCy at module level, so ``--help`` and ``--version`` are instant.
Errors a user can fix (bad file, bad rule pack, bad option) print one line on stderr and
exit 2; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from . import __version__


class ExitCode(IntEnum):
    """Documented in the README."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    INTERNAL = 3


class CheckFormat(StrEnum):
    terminal = "terminal"
    json = "json"


class EvalFormat(StrEnum):
    text = "text"
    json = "json"


class Phase(StrEnum):
    acute = "acute"
    reprieve = "reprieve"
    recovery = "recovery"
    none = "none"


class Lang(StrEnum):
    fr = "fr"
    en = "en"


app = typer.Typer(
    name="crisis-audit",
    help="Audit brand posts for tone-deaf communication during a crisis.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
rules_app = typer.Typer(help="See and check rule packs.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

_state: dict[str, Any] = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"crisis-audit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Audit brand posts for tone-deaf communication during a crisis."""
    _state["debug"] = debug


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> NoReturn:
    """One line on stderr, then exit."""
    typer.echo(f"crisis-audit: error: {message}", err=True)
    raise typer.Exit(int(code))


def _guarded(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Run `func`, turning known input problems into one-line errors (exit 2)."""
    from .context import ContextError
    from .readers import ReaderError
    from .rulepack import RuleError

    try:
        return func(*args, **kwargs)
    except (RuleError, ContextError, ReaderError, ValueError) as exc:
        if _state["debug"]:
            raise
        fail(str(exc))
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as exc:
        if _state["debug"]:
            raise
        fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug)", ExitCode.INTERNAL)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--date: {value!r} is not a date (YYYY-MM-DD)")


RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Extra rule pack file or folder (repeatable)."),
]
ContextOpt = Annotated[
    Path | None, typer.Option("--context", help="Crisis context YAML (default: COVID-19 France).")
]
PhaseOpt = Annotated[Phase | None, typer.Option("--phase", help="Force the crisis phase.")]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", help="Publication date for posts without one (default: today)."),
]
LangOpt = Annotated[Lang | None, typer.Option("--lang", help="Force the language (else detected).")]
FastOpt = Annotated[
    bool, typer.Option("--fast", help="No statistical model: lookup lemmas only (faster).")
]


def _engine(
    rules: list[Path] | None,
    context: Path | None,
    phase: Phase | None,
    date: str | None,
    lang: Lang | None,
    fast: bool,
) -> Any:
    from .api import build_engine

    return build_engine(
        rules=rules,
        context=context,
        phase=phase.value if phase else None,
        date=_parse_date(date),
        lang=lang.value if lang else None,
        fast=fast,
    )


@app.command()
def check(
    files: Annotated[
        list[str] | None, typer.Argument(help="Text or .jsonl files; '-' or nothing reads stdin.")
    ] = None,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="terminal (default) or json.")
    ] = CheckFormat.terminal,
    rules: RulesOpt = None,
    context: ContextOpt = None,
    phase: PhaseOpt = None,
    date: DateOpt = None,
    lang: LangOpt = None,
    fast: FastOpt = False,
    notes: Annotated[bool, typer.Option("--notes", help="Also show info notes.")] = False,
) -> None:
    """Check drafts: one post per text file (or posts separated by '---'), .jsonl, or stdin."""
    _guarded(_check, files or ["-"], output_format, rules, context, phase, date, lang, fast, notes)


def _check(
    files: list[str],
    output_format: CheckFormat,
    rules: list[Path] | None,
    context: Path | None,
    phase: Phase | None,
    date: str | None,
    lang: Lang | None,
    fast: bool,
    notes: bool,
) -> None:
    from .api import context_summary
    from .models import AuditResult, InputError, Post
    from .readers import read_path, read_text_stream

    items: list[Post | InputError] = []
    for name in files:
        if name == "-":
            items.extend(read_text_stream(sys.stdin.read()))
        else:
            items.extend(read_path(Path(name)))
    posts = [p for p in items if isinstance(p, Post)]
    errors = [e for e in items if isinstance(e, InputError)]
    if not posts and not errors:
        fail(f"{', '.join(files)}: no post to check (empty input)")
    engine = _engine(rules, context, phase, date, lang, fast)
    result = AuditResult(
        posts=list(engine.audit(posts)),
        errors=errors,
        context=context_summary(engine),
        tool_version=__version__,
    )
    _emit(result, output_format.value, notes)
    if not posts:
        raise typer.Exit(int(ExitCode.USAGE))


def _emit(result: Any, output_format: str, notes: bool = False) -> None:
    if output_format == "json":
        from .reporters import render_json

        sys.stdout.write(render_json(result))
        return
    from rich.console import Console

    from .reporters.terminal import print_result

    print_result(result, Console(highlight=False), show_notes=notes)


@app.command("eval")
def eval_command(
    file: Annotated[Path, typer.Argument(help="Labelled posts, JSON Lines (samples format).")],
    output_format: Annotated[
        EvalFormat, typer.Option("--format", "-f", help="text (default) or json.")
    ] = EvalFormat.text,
    show_errors: Annotated[
        bool, typer.Option("--show-errors", help="List misses and false alarms.")
    ] = False,
    rules: RulesOpt = None,
    context: ContextOpt = None,
    lang: LangOpt = None,
    fast: FastOpt = False,
) -> None:
    """Precision, recall and F1 per category (and tone-deaf, flags) on a labelled file."""
    _guarded(_eval, file, output_format, show_errors, rules, context, lang, fast)


def _eval(
    file: Path,
    output_format: EvalFormat,
    show_errors: bool,
    rules: list[Path] | None,
    context: Path | None,
    lang: Lang | None,
    fast: bool,
) -> None:
    import json

    from .evaluation import evaluate
    from .models import InputError, Post
    from .readers import ReadOptions, read_path

    items = list(read_path(file, ReadOptions(input_format="jsonl")))
    posts = [p for p in items if isinstance(p, Post) and p.labels is not None]
    for e in items:
        if isinstance(e, InputError):
            typer.echo(f"crisis-audit: warning: {e.source}: {e.reason}", err=True)
    if not posts:
        fail(f"{file}: no labelled post (each line needs 'text' and 'labels')")
    engine = _engine(rules, context, None, None, lang, fast)
    report = evaluate(list(engine.audit(posts)))
    if output_format == EvalFormat.json:
        data = report.to_dict()
        if not show_errors:
            data.pop("errors")
        data["mode"] = "fast" if fast else "full"
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    from .reporters.eval_table import print_eval

    print_eval(report, Console(highlight=False), show_errors=show_errors, title=str(file))


# -- audit -------------------------------------------------------------------------------

OUTPUT_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "csv",
    ".json": "json",
    ".sarif": "sarif",
    ".xml": "junit",
}
AUDIT_FORMATS = ("auto", "terminal", "json", "html", "markdown", "csv", "sarif", "junit", "github")


@app.command()
def audit(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files or folders (CSV, TSV, XLSX, JSONL, YAML, TXT, MD); '-' is stdin."
        ),
    ],
    output_format: Annotated[
        list[str] | None,
        typer.Option(
            "--format", "-f", help=f"Output format, repeatable: {', '.join(AUDIT_FORMATS)}."
        ),
    ] = None,
    output: Annotated[
        list[Path] | None,
        typer.Option(
            "--output", "-o", help="Write a report here (format from the suffix), repeatable."
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Config file (else discovered).")
    ] = None,
    rules: RulesOpt = None,
    context: ContextOpt = None,
    phase: PhaseOpt = None,
    date: DateOpt = None,
    lang: LangOpt = None,
    fast: FastOpt = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or notes.")] = False,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on", help="Exit 1 on findings at or above: error, warning, info, never."
        ),
    ] = None,
    fail_under: Annotated[
        int | None,
        typer.Option(
            "--fail-under", min=0, max=100, help="Exit 1 if a flagged post scores below this."
        ),
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Fail only on findings not in this baseline.")
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option("--write-baseline", help="Record today's findings as the baseline."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the result cache.")
    ] = False,
    warn_unused_ignores: Annotated[
        bool,
        typer.Option(
            "--warn-unused-ignores", help="Report ignore entries that suppress nothing (exit 1)."
        ),
    ] = False,
    text_column: Annotated[
        str | None, typer.Option("--text-column", help="Column holding the post text.")
    ] = None,
    date_column: Annotated[
        str | None, typer.Option("--date-column", help="Column holding the date.")
    ] = None,
    id_column: Annotated[
        str | None, typer.Option("--id-column", help="Column holding the post id.")
    ] = None,
    channel_column: Annotated[
        str | None, typer.Option("--channel-column", help="Column holding the network.")
    ] = None,
    date_format: Annotated[
        str | None, typer.Option("--date-format", help="dmy, mdy or a strptime format.")
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Excel sheet (default: the first).")
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option(
            "--input-format", help="Read every file as: jsonl, text, csv, excel, yaml, markdown."
        ),
    ] = None,
    disable: Annotated[
        list[str] | None,
        typer.Option("--disable", help="Turn a rule off (code or name), repeatable."),
    ] = None,
) -> None:
    """Audit campaigns and content calendars, write reports, and gate CI with exit codes."""
    args = dict(locals())
    _guarded(_audit, args)


def _audit(args: dict[str, Any]) -> None:
    import os

    from .batch import BatchOptions, gate, unused_ignores
    from .config import FAIL_ON, load_config
    from .readers import ReadOptions

    cfg = load_config(args["config"])
    fail_on = args["fail_on"] or cfg.fail_on
    if fail_on not in FAIL_ON:
        fail(f"--fail-on: must be one of {', '.join(FAIL_ON)}")
    formats = list(args["output_format"] or cfg.formats)
    outputs = list(args["output"] or cfg.outputs)
    plan = _output_plan(formats, outputs, os.environ.get("GITHUB_ACTIONS") == "true")
    engine_options = {
        "rules": [*cfg.rules, *(args["rules"] or [])] or None,
        "context": args["context"] or cfg.context,
        "phase": args["phase"].value if args["phase"] else cfg.phase,
        "date": _parse_date(args["date"]) or cfg.date,
        "lang": args["lang"].value if args["lang"] else cfg.lang,
        "default_lang": cfg.default_lang,
        "fast": args["fast"] or cfg.fast,
        "disable": [*cfg.disable, *(args["disable"] or [])],
        "severity": cfg.severity,
    }
    read = ReadOptions(
        text_column=args["text_column"] or cfg.read.text_column,
        date_column=args["date_column"] or cfg.read.date_column,
        id_column=args["id_column"] or cfg.read.id_column,
        channel_column=args["channel_column"] or cfg.read.channel_column,
        date_format=args["date_format"] or cfg.read.date_format,
        sheet=args["sheet"] or cfg.read.sheet,
        input_format=args["input_format"],
    )
    cache_dir = None
    if cfg.cache and not args["no_cache"]:
        from .cache import DEFAULT_DIR

        cache_dir = cfg.cache_dir or (cfg.source.parent if cfg.source else Path.cwd()) / DEFAULT_DIR
    options = BatchOptions(
        engine=engine_options,
        read=read,
        jobs=args["jobs"] or cfg.jobs,
        cache_dir=cache_dir,
        one_shot=True,
    )
    result, engine = _with_progress(args["paths"], options, quiet=args["quiet"])
    if cfg.source is not None:
        result.context["config"] = str(cfg.source)
    baseline_path = args["baseline"] or cfg.baseline
    if baseline_path is not None and args["write_baseline"] is None:
        from .baseline import apply_baseline, load_baseline

        known = apply_baseline(result, load_baseline(baseline_path))
        result.context["baseline"] = {"file": str(baseline_path), "known_findings": known}
    for note in result.notes:
        if not args["quiet"]:
            typer.echo(f"crisis-audit: {note}", err=True)
    _write_outputs(plan, result, engine)
    if args["write_baseline"] is not None:
        from .baseline import write_baseline

        count = write_baseline(result, args["write_baseline"])
        typer.echo(
            f"crisis-audit: baseline written to {args['write_baseline']} ({count} findings)",
            err=True,
        )
        raise typer.Exit(int(ExitCode.OK))
    if not result.posts:
        for e in result.errors:
            typer.echo(f"crisis-audit: error: {e.source}: {e.reason}", err=True)
        fail("nothing could be audited")
    unused: list[str] = []
    if args["warn_unused_ignores"]:
        unused = unused_ignores(
            result, lambda key: r.code if (r := engine.ruleset.find(key)) else None
        )
        for line in unused:
            typer.echo(f"crisis-audit: warning: {line}", err=True)
    outcome = gate(
        result,
        fail_on=fail_on,
        fail_under=args["fail_under"] or cfg.fail_under,
        unused_ignores=unused,
    )
    raise typer.Exit(int(ExitCode.FINDINGS if outcome.failed else ExitCode.OK))


def _output_plan(
    formats: list[str], outputs: list[Path], on_github: bool
) -> list[tuple[str, Path | None]]:
    """Pair formats with destinations: ``-o x.html`` alone infers the format; ``-f`` alone
    prints to stdout; both are paired in order."""
    for fmt in formats:
        if fmt not in AUDIT_FORMATS:
            fail(f"--format: unknown format {fmt!r} (expected {', '.join(AUDIT_FORMATS)})")
    plan: list[tuple[str, Path | None]] = []
    if outputs and formats and len(formats) != len(outputs):
        fail(
            "--format and --output: give one format per output, "
            "or only outputs (format from suffix)"
        )
    for i, path in enumerate(outputs):
        fmt = formats[i] if formats else OUTPUT_SUFFIXES.get(path.suffix.lower(), "")
        if not fmt:
            fail(f"--output {path}: cannot tell the format from the suffix; add --format")
        plan.append((fmt, path))
    if not outputs:
        plan = [(fmt, None) for fmt in formats] or [("auto", None)]
    resolved: list[tuple[str, Path | None]] = []
    for fmt, dest in plan:
        if fmt == "auto":
            fmt = "github" if on_github else "terminal"
        if fmt == "terminal" and dest is not None:
            fail("--format terminal writes to the screen only; choose another format for files")
        resolved.append((fmt, dest))
    return resolved


def _with_progress(paths: list[str], options: Any, quiet: bool) -> Any:
    from .batch import run_batch

    if quiet or not sys.stderr.isatty():
        return run_batch(paths, options)
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (
        SpinnerColumn(),
        TextColumn("auditing"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed} posts"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("audit", total=None)
        options.progress = lambda n: progress.advance(task, n)
        return run_batch(paths, options)


def _write_outputs(plan: list[tuple[str, Path | None]], result: Any, engine: Any) -> None:
    from .baseline import write_atomic

    for fmt, path in plan:
        if fmt == "terminal":
            from rich.console import Console

            from .reporters.terminal import print_summary

            print_summary(result, Console(highlight=False))
            continue
        from .reporters import STREAMERS

        pieces = STREAMERS[fmt](result) if fmt in STREAMERS else [_render(fmt, result, engine)]
        if path is None:
            for piece in pieces:
                sys.stdout.write(piece)
        else:
            write_atomic(path, pieces)
            typer.echo(f"crisis-audit: wrote {fmt} report to {path}", err=True)


def _render(fmt: str, result: Any, engine: Any) -> str:
    from . import reporters

    renderer = reporters.RENDERERS.get(fmt)
    if renderer is None:
        fail(f"--format: {fmt} is not available in this version")
    if fmt in getattr(reporters, "RULE_AWARE", ()):
        return renderer(result, rules=engine.ruleset.rules)  # type: ignore[call-arg]
    return renderer(result)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter config.")] = Path(
        ".crisis-audit.yaml"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter configuration."""
    from .baseline import write_atomic
    from .config import STARTER

    if path.exists() and not force:
        fail(f"{path}: already exists (use --force to overwrite)")
    write_atomic(path, STARTER)
    typer.echo(f"wrote {path}")


# -- rules ---------------------------------------------------------------------------------


@rules_app.command("list")
def rules_list(rules: RulesOpt = None) -> None:
    """List every loaded rule: code, name, kind, label, severity, languages."""
    _guarded(_rules_list, rules)


def _rules_list(rules: list[Path] | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from .rulepack import load_rules

    ruleset = load_rules(rules)
    table = Table("code", "name", "kind", "label", "severity", "lang", "summary")
    for r in ruleset.rules:
        table.add_row(r.code, r.name, r.kind, r.label, r.severity, ",".join(r.languages), r.summary)
    Console().print(table)


@rules_app.command("show")
def rules_show(
    key: Annotated[str, typer.Argument(help="Rule code or name.")], rules: RulesOpt = None
) -> None:
    """Show one rule: what it catches, why, its advice and examples."""
    _guarded(_rules_show, key, rules)


def _rules_show(key: str, rules: list[Path] | None) -> None:
    from .rulepack import load_rules

    rule = load_rules(rules).find(key)
    if rule is None:
        fail(f"no rule has the code or name {key!r}")
    typer.echo(f"{rule.code} {rule.name} ({rule.kind} → {rule.label}, {rule.severity})")
    typer.echo(f"  defined at {rule.source}")
    typer.echo(f"  {rule.summary}\n  why: {rule.why}")
    for lang in rule.languages:
        typer.echo(f"  advice [{lang}]: {rule.text_for('advice', lang)}")
    if rule.when:
        typer.echo(f"  when: {rule.when}")
    for ex in rule.fail_examples:
        typer.echo(f"  fires on: {ex.text}")
    for ex in rule.pass_examples:
        typer.echo(f"  silent on: {ex.text}")


@rules_app.command("validate")
def rules_validate(
    files: Annotated[list[Path] | None, typer.Argument(help="Rule files or folders.")] = None,
    context: ContextOpt = None,
) -> None:
    """Validate rule packs (the bundled ones and FILES), including token patterns, and
    warn about rules waiting for a restriction the crisis context never lists."""
    _guarded(_rules_validate, files, context)


def _rules_validate(files: list[Path] | None, context: Path | None) -> None:
    from .api import build_engine

    engine = build_engine(rules=files, context=context)
    for lang in ("fr", "en"):
        engine.language(lang)
    for line in engine.context.unmet_restrictions(engine.ruleset.rules):
        typer.echo(f"warning: {line}", err=True)
    typer.echo(f"ok: {len(engine.ruleset.rules)} rules in {len(engine.ruleset.files)} file(s)")


@rules_app.command("test")
def rules_test(
    codes: Annotated[list[str] | None, typer.Argument(help="Only these rule codes.")] = None,
    rules: RulesOpt = None,
) -> None:
    """Run every rule's own examples; exit 1 if one misbehaves."""
    _guarded(_rules_test, codes, rules)


def _rules_test(codes: list[str] | None, rules: list[Path] | None) -> None:
    from .api import build_engine
    from .examples import example_cases, run_case

    engine = build_engine(rules=rules)
    wanted = {c.upper() for c in codes or []}
    selected = [r for r in engine.ruleset.rules if not wanted or r.code in wanted]
    failures = [msg for case in example_cases(selected) if (msg := run_case(engine, case))]
    total = sum(len(r.fail_examples) + len(r.pass_examples) for r in selected)
    for msg in failures:
        typer.echo(msg)
    typer.echo(f"{total - len(failures)} passed, {len(failures)} failed")
    if failures:
        raise typer.Exit(int(ExitCode.FINDINGS))


def main() -> None:
    """Console-script entry point.

    Ends the process with ``os._exit`` once the command has finished and its output is
    flushed: every file the commands write is closed (atomic writes), the cache commits
    each batch and the worker pool is joined, so all the interpreter's teardown would do is
    free the language model object by object, about 0.4 s of a 2 s draft check."""
    try:
        app()
        code = 0
    except SystemExit as stop:
        code = _exit_status(stop.code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # output closed early (``| head``): still exit
        pass
    os._exit(code)


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
