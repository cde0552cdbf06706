"""Build a YAML node tree from parser events, with resource limits enforced on the way.

`yaml.compose()` would build the whole graph before any limit could be checked, and
walking an alias bomb or a 10,000-level nesting after the fact costs time, memory or a
RecursionError. Reading events one by one keeps both bounded and never constructs a
Python object from a tag.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_RESOLVER = yaml.resolver.Resolver()
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:omap",
    "tag:yaml.org,2002:set",
    "!",
}


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int = 64
    max_nodes: int = 250_000
    max_alias_expansion: int = 250_000


@dataclass(slots=True)
class Node:
    kind: str  # "scalar" | "map" | "seq"
    line: int  # 1-based line in the YAML text
    column: int
    tag: str | None = None  # resolved tag for scalars, explicit tag otherwise
    value: str = ""  # raw scalar text
    plain: bool = False  # plain (unquoted) scalar
    pairs: list[tuple[Node, Node]] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    size: int = 1  # nodes in this subtree, counting aliased subtrees in full


_NOT_READ = (
    "techfile read nothing from the front-matter, so the document has no id or type and no "
    "rule checked it."
)
_DEFAULT_TEXTS = {  # code -> (why, fix) unless the error says more
    "FM001": (
        _NOT_READ,
        "Correct the YAML at this line: quote values that hold `: ` or ` #`, indent with "
        "spaces only, and close every `[` and `{`.",
    ),
    "FM011": (
        "techfile stopped reading the front-matter, so the document was not checked; no real "
        "document comes near these limits, so the block came from a faulty tool or was written "
        "to harm whatever reads it.",
        "Find out where the block came from before changing it; write genuine data out "
        "plainly, without deep nesting or chains of aliases.",
    ),
}


class TreeError(Exception):
    """The YAML text is malformed or breaks a limit. Carries the finding's code and line."""

    def __init__(
        self, code: str, message: str, line: int, column: int = 0, why: str = "", fix: str = ""
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        default_why, default_fix = _DEFAULT_TEXTS.get(code, (_NOT_READ, ""))
        self.why = why or default_why
        self.fix = fix or default_fix


_TAG_WHY = (
    "techfile never constructs application objects from YAML, so it read nothing from the "
    "front-matter, and the document has no id or type."
)
_REMOVE_TAG = "Remove the tag; to include another file, cite it by its id in `references`."
_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")  # line breaks to YAML, not to editors
_MERGE = "tag:yaml.org,2002:merge"


def build_tree(text: str, limits: Limits = Limits()) -> Node | None:
    """Return the root node of a single YAML document, or None for an empty one."""
    line_map = _editor_lines(text)
    try:
        return _Builder(limits, line_map).run(yaml.parse(text, Loader=_Loader))
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        character = chr(exc.character) if isinstance(exc.character, int) else exc.character
        point = ord(character[0]) if character else 0
        raise TreeError(
            "FM001",
            f"the front-matter contains the character #x{point:04x}, which YAML does not allow",
            line,
            fix="Remove the character (often pasted from another program), or quote the text "
            "that holds it.",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = _map_line(line_map, mark.line) if mark else 1
        column = mark.column + 1 if mark else 0
        problem = " ".join((exc.problem or exc.context or "malformed YAML").split())
        if "nesting depth" in problem:
            raise TreeError(
                "FM011", "the front-matter nests deeper than the YAML parser allows", line, column
            ) from None
        raise TreeError(
            "FM001", f"the front-matter is not valid YAML: {problem}", line, column
        ) from None
    except yaml.YAMLError as exc:
        raise TreeError("FM001", f"the front-matter is not valid YAML: {exc}", 1) from None


def _editor_lines(text: str) -> list[int] | None:
    """YAML counts NEL, LS and PS as line breaks; editors do not. Maps YAML line indexes
    (0-based) to editor lines (1-based), or None when the text has none of them."""
    if not any(mark in text for mark in _YAML_ONLY_BREAKS):
        return None
    mapping = [1]
    editor_line = 1
    for char in text:
        if char == "\n":
            editor_line += 1
            mapping.append(editor_line)
        elif char in _YAML_ONLY_BREAKS:
            mapping.append(editor_line)
    return mapping


def _map_line(line_map: list[int] | None, yaml_line: int) -> int:
    if line_map is None:
        return yaml_line + 1
    return line_map[min(yaml_line, len(line_map) - 1)]


class _Builder:
    def __init__(self, limits: Limits, line_map: list[int] | None = None) -> None:
        self.limits = limits
        self.line_map = line_map
        self.anchors: dict[str, Node] = {}
        self.nodes = 0
        self.expanded = 0
        self.stack: list[Node] = []
        self.pending_keys: list[Node | None] = []
        self.root: Node | None = None
        self.documents = 0

    def run(self, events: Any) -> Node | None:
        handlers: dict[type, Callable[[Any], None]] = {
            yaml.DocumentStartEvent: self._document,
            yaml.ScalarEvent: self._scalar_event,
            yaml.AliasEvent: self._alias,
            yaml.MappingStartEvent: self._open,
            yaml.SequenceStartEvent: self._open,
            yaml.MappingEndEvent: self._close,
            yaml.SequenceEndEvent: self._close,
        }
        for event in events:
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
        return self.root

    def _document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            raise TreeError(
                "FM001",
                "the front-matter holds more than one YAML document",
                self._line(event),
                fix="Keep exactly one YAML document between the opening and the closing `---`.",
            )

    def _scalar_event(self, event: Any) -> None:
        self._add(self._scalar(event), event.anchor)

    def _count(self, event: Any) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise TreeError(
                "FM011",
                f"the front-matter has more than {self.limits.max_nodes:,} YAML nodes",
                self._line(event),
            )

    def _scalar(self, event: Any) -> Node:
        self._count(event)
        tag = event.tag
        if tag is not None and tag not in _STANDARD_TAGS:
            raise TreeError(
                "FM001",
                f"the front-matter uses the YAML tag `{tag}`",
                self._line(event),
                event.start_mark.column + 1,
                why=_TAG_WHY,
                fix=_REMOVE_TAG,
            )
        plain = not event.style  # libyaml reports plain as "", PyYAML as None
        if tag is None or tag == "!":
            if plain and event.implicit[0]:
                tag = _plain_tag(event.value)
            else:
                tag = "tag:yaml.org,2002:str"
        return Node(
            "scalar", self._line(event), event.start_mark.column + 1, tag, event.value, plain
        )

    def _open(self, event: Any) -> None:
        self._count(event)
        tag = event.tag
        if tag is not None and tag not in _STANDARD_TAGS:
            raise TreeError(
                "FM001",
                f"the front-matter uses the YAML tag `{tag}`",
                self._line(event),
                why=_TAG_WHY,
                fix=_REMOVE_TAG,
            )
        if len(self.stack) >= self.limits.max_depth:
            raise TreeError(
                "FM011",
                f"the front-matter nests deeper than {self.limits.max_depth} levels",
                self._line(event),
            )
        kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
        node = Node(kind, self._line(event), event.start_mark.column + 1, tag)
        self._attach(node)
        self.stack.append(node)
        self.pending_keys.append(None)
        if event.anchor:
            self.anchors[event.anchor] = node

    def _line(self, event: Any) -> int:
        return _map_line(self.line_map, int(event.start_mark.line))

    def _close(self, _event: Any) -> None:
        node = self.stack.pop()
        self.pending_keys.pop()
        if node.kind == "map":
            node.pairs = _merge_keys(node.pairs)
        node.size = (
            1 + sum(k.size + v.size for k, v in node.pairs) + sum(c.size for c in node.children)
        )

    def _alias(self, event: Any) -> None:
        target = self.anchors.get(event.anchor)
        if target is None:
            raise TreeError(
                "FM001",
                f"the alias `*{event.anchor}` has no anchor",
                self._line(event),
                fix=f"Define the anchor `&{event.anchor}` before the alias, or write the value "
                "out.",
            )
        if target in self.stack:
            raise TreeError(
                "FM011", "the front-matter contains a recursive alias", self._line(event)
            )
        self.expanded += target.size
        if self.expanded > self.limits.max_alias_expansion:
            raise TreeError(
                "FM011",
                "YAML aliases in the front-matter expand to more than "
                f"{self.limits.max_alias_expansion:,} nodes (an alias bomb?)",
                self._line(event),
            )
        self._attach(target)

    def _add(self, node: Node, anchor: str | None) -> None:
        if anchor:
            self.anchors[anchor] = node
        self._attach(node)

    def _attach(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        if parent.kind == "seq":
            parent.children.append(node)
            return
        key = self.pending_keys[-1]
        if key is None:
            self.pending_keys[-1] = node
        else:
            parent.pairs.append((key, node))
            self.pending_keys[-1] = None


@functools.lru_cache(maxsize=8192)
def _plain_tag(value: str) -> str:
    """The tag YAML 1.1 gives a plain scalar (int, bool, null, ... or str)."""
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return tag


def _merge_keys(pairs: list[tuple[Node, Node]]) -> list[tuple[Node, Node]]:
    """Apply YAML merge keys (`<<: *base`): keys written in the mapping win over merged ones."""
    if not any(k.kind == "scalar" and k.tag == _MERGE for k, _ in pairs):
        return pairs
    own = [(k, v) for k, v in pairs if not (k.kind == "scalar" and k.tag == _MERGE)]
    present = {k.value for k, _ in own if k.kind == "scalar"}
    merged: list[tuple[Node, Node]] = []
    for key, value in pairs:
        if not (key.kind == "scalar" and key.tag == _MERGE):
            continue
        sources = value.children if value.kind == "seq" else [value]
        for source in sources:
            for inner_key, inner_value in source.pairs if source.kind == "map" else ():
                if inner_key.value not in present:
                    present.add(inner_key.value)
                    merged.append((inner_key, inner_value))
    return own + merged
