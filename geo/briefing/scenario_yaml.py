"""Reading a scenario's YAML within limits: a counting loader, and values with their line.

The limits keep a hostile or broken file (a YAML alias bomb, /dev/zero, 5,000 events) from
hanging a build; every value keeps the line it starts on, so an error names field and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from geo.core.parse import parse_distance_m
from geo.errors import InputError, ScenarioError

# Limits on a scenario file (documented in maps/README.md). They keep a hostile or broken
# file (a YAML alias bomb, /dev/zero, 5,000 events) from hanging a build: each is refused
# with one line naming the limit before any geometry is computed.
MAX_FILE_BYTES = 1_048_576
"""A scenario file is at most 1 MiB."""
MAX_NODES = 20_000
"""Values (scalars, lists, mappings) in the document, counting each alias's expansion."""
MAX_ALIASES = 100
"""YAML aliases (``*name``) in the document."""
MAX_DEPTH = 30
"""Lists and mappings nested at most this deep."""
MAX_TEXT_CHARS = 5_000
"""Characters in one value (a title, a note, a source)."""
MAX_EVENTS = 50
"""Events in a scenario."""
MAX_RANGES = 20
"""Ranges of one event ('ranges' and 'range' together); missiles and impacts likewise."""
MAX_AREAS = 100
"""Range, missile and impact areas of all events together: each gets a verdict per country,
so this bounds the build time."""


class LimitExceeded(Exception):
    def __init__(self, line: int, msg: str) -> None:
        super().__init__(msg)
        self.line = line
        self.msg = msg


class LimitedLoader(yaml.SafeLoader):
    """A safe loader that counts while composing: nodes, aliases and nesting depth.

    Composing never expands an alias (the node is shared), so the counts bound the work
    here; the expansion itself is bounded by :meth:`Reader.wrap`."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes = 0
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        line = self.peek_event().start_mark.line + 1  # type: ignore[no-untyped-call]
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise LimitExceeded(line, f"more than {MAX_ALIASES} YAML aliases (*name)")
        else:
            self._nodes += 1
            if self._nodes > MAX_NODES:
                raise LimitExceeded(line, f"more than {MAX_NODES:,} values")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise LimitExceeded(line, f"lists or mappings nested more than {MAX_DEPTH} deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class Node:
    """A YAML value with the line it starts on (1-based); ``raw`` is a scalar's text as
    written (None for a list or mapping)."""

    def __init__(self, value: Any, line: int, raw: str | None = None) -> None:
        self.value = value
        self.line = line
        self.raw = raw


def kind_of(node: Node) -> str:
    if isinstance(node.value, dict):
        return "a mapping"
    if isinstance(node.value, list):
        return "a list"
    return "a single value"


class Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._constructor = yaml.constructor.SafeConstructor()
        self._open: set[int] = set()
        self._seen: set[int] = set()  # nodes met in place: met again, they are aliases
        self._wrapped = 0

    def fail(self, field_: str, where: Node | int, msg: str) -> ScenarioError:
        line = where if isinstance(where, int) else where.line
        return ScenarioError(f"{self.path}, line {line}, field '{field_}': {msg}")

    def wrap(self, node: yaml.Node, field_: str, used_at: int | None = None) -> Node:
        """The composed YAML as _Nodes; a value YAML cannot construct fails with its field.

        ``used_at``: inside an alias's expansion, the line where the alias is used (the
        composed nodes only know where the anchor was defined): the line the limit on
        values names, so that an alias bomb points at the field that set it off."""
        line = node.start_mark.line + 1
        if id(node) in self._open:
            raise self.fail(field_, line, "refers to itself (a recursive YAML alias)")
        self._seen.add(id(node))
        self._wrapped += 1
        if self._wrapped > MAX_NODES:
            raise self.fail(
                field_,
                used_at or line,
                f"the scenario expands to more than {MAX_NODES:,} values "
                "(through YAML aliases); the limit is there to stop alias bombs",
            )
        if isinstance(node, yaml.ScalarNode):
            if len(node.value) > MAX_TEXT_CHARS:
                raise self.fail(
                    field_,
                    line,
                    f"{len(node.value):,} characters; a value may have at most {MAX_TEXT_CHARS:,}",
                )
            return Node(self._scalar(node, field_, line), line, str(node.value))
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return Node(
                    [
                        self.wrap(v, f"{field_}[{i}]", self._use_line(v, used_at, line))
                        for i, v in enumerate(node.value)
                    ],
                    line,
                )
            out: dict[str, Node] = {}
            key_lines: dict[str, int] = {}
            for k, v in node.value:
                k_line = k.start_mark.line + 1
                if not isinstance(k, yaml.ScalarNode):
                    raise self.fail(field_ or "(top level)", k_line, "a field name must be text")
                key = str(k.value)
                sub = f"{field_}.{key}" if field_ else key
                if key in out:
                    raise self.fail(
                        sub, k_line, f"duplicate field; first given on line {key_lines[key]}"
                    )
                key_lines[key] = k_line
                out[key] = self.wrap(v, sub, self._use_line(v, used_at, k_line))
            return Node(out, line)
        finally:
            self._open.discard(id(node))

    def _use_line(self, child: yaml.Node, used_at: int | None, here: int) -> int | None:
        """Where ``child`` is used when it is an alias (a node already met: the composed
        YAML shares an anchor's node): ``here``, the line of its key or of its sequence;
        inside an expansion, the line where the expansion began."""
        if used_at is not None:
            return used_at
        return here if id(child) in self._seen else None

    def _scalar(self, node: yaml.ScalarNode, field_: str, line: int) -> Any:
        try:
            return self._constructor.construct_object(node, deep=True)
        except Exception as exc:  # an explicit tag (!!bool x) can fail in any way
            stamp = yaml.constructor.SafeConstructor.timestamp_regexp.match(str(node.value))
            if node.tag == "tag:yaml.org,2002:timestamp" and stamp:
                return str(node.value)  # looks like a date but is none: text ('date' checks)
            if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
                msg = f"cannot read {node.value!r}: {exc.problem}"
            else:
                msg = f"cannot read {node.value!r} as {str(node.tag).rsplit(':', 1)[-1]}"
            raise self.fail(field_, line, msg) from None

    def mapping(self, node: Node, field_: str, allowed: set[str]) -> dict[str, Node]:
        if not isinstance(node.value, dict):
            raise self.fail(field_, node, f"must be a mapping of fields, not {kind_of(node)}")
        unknown = sorted(set(node.value) - allowed)
        if unknown:
            bad = node.value[unknown[0]]
            raise self.fail(
                f"{field_}.{unknown[0]}" if field_ else unknown[0],
                bad,
                f"unknown field; allowed: {', '.join(sorted(allowed))}",
            )
        return dict(node.value)

    def scalar(self, node: Node, field_: str) -> str:
        """A single value's text as written (so ``7:30`` is not 450 and ``NO`` is not false)."""
        if node.raw is None:
            raise self.fail(field_, node, f"must be a single value, not {kind_of(node)}")
        if node.value is None:
            raise self.fail(field_, node, "is empty")
        return node.raw

    def text(self, m: dict[str, Node], key: str, field_: str, default: str | None = None) -> str:
        if key not in m:
            if default is None:
                raise ScenarioError(f"{self.path}: field '{field_}{key}' is required")
            return default
        node = m[key]
        if node.value is None and node.raw is not None and default is not None:
            return default  # "key:" with nothing after it: as if not given
        value = self.scalar(node, field_ + key)
        if not value.strip() and default is None:
            raise self.fail(field_ + key, node, "is empty")
        return value

    def convert(self, node: Node, field_: str, fn: Any) -> Any:
        text = self.scalar(node, field_)
        try:
            return fn(text)
        except InputError as exc:
            raise self.fail(field_, node, str(exc)) from None

    def distance(self, node: Node, field_: str) -> float:
        """A distance more than 0 (0 draws nothing)."""
        d = float(self.convert(node, field_, parse_distance_m))
        if d <= 0:
            raise self.fail(field_, node, f"must be more than 0, got {node.raw!r}")
        return d

    def items(self, m: dict[str, Node], key: str) -> list[Node]:
        if key not in m or m[key].value is None:
            return []
        v = m[key]
        if isinstance(v.value, list):
            return list(v.value)
        return [v]  # a single value where a list is allowed

    def texts(self, m: dict[str, Node], key: str, field_: str) -> list[tuple[str, Node]]:
        return [(self.scalar(n, field_), n) for n in self.items(m, key)]
