"""Build a YAML node tree from parser events, with resource limits enforced on the way.

`yaml.compose()` would build the whole graph before any limit could be checked, and
walking an alias bomb or a 10,000-level nesting after the fact costs time, memory or a
RecursionError. Reading events one by one keeps both bounded and never constructs a
Python object from a tag.
"""

from __future__ import annotations

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


class TreeError(Exception):
    """The YAML text is malformed or breaks a limit. Carries the finding's code and line."""

    def __init__(self, code: str, message: str, line: int, column: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column


def build_tree(text: str, limits: Limits = Limits()) -> Node | None:
    """Return the root node of a single YAML document, or None for an empty one."""
    try:
        return _Builder(limits).run(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 0
        problem = exc.problem or exc.context or "malformed YAML"
        if "nesting depth" in problem:
            raise TreeError(
                "FM011",
                "the front-matter nests deeper than the YAML parser allows; techfile stopped "
                "reading it",
                line,
                column,
            ) from None
        raise TreeError(
            "FM001", f"the front-matter is not valid YAML: {problem}", line, column
        ) from None
    except yaml.YAMLError as exc:
        raise TreeError("FM001", f"the front-matter is not valid YAML: {exc}", 1) from None


class _Builder:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.anchors: dict[str, Node] = {}
        self.nodes = 0
        self.expanded = 0
        self.stack: list[Node] = []
        self.pending_keys: list[Node | None] = []
        self.root: Node | None = None

    def run(self, events: Any) -> Node | None:
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise TreeError(
                        "FM001", "the front-matter holds more than one YAML document", _line(event)
                    )
            elif isinstance(event, yaml.ScalarEvent):
                self._add(self._scalar(event), event.anchor)
            elif isinstance(event, yaml.AliasEvent):
                self._alias(event)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self._open(event)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self._close()
        return self.root

    def _count(self, event: Any) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise TreeError(
                "FM011",
                f"the front-matter has more than {self.limits.max_nodes:,} YAML nodes; "
                "techfile stopped reading it",
                _line(event),
            )

    def _scalar(self, event: Any) -> Node:
        self._count(event)
        tag = event.tag
        if tag is not None and tag not in _STANDARD_TAGS:
            raise TreeError(
                "FM001",
                f"the front-matter uses the YAML tag {tag!r}; techfile never constructs "
                "application objects from YAML, so remove the tag",
                _line(event),
                event.start_mark.column + 1,
            )
        plain = not event.style  # libyaml reports plain as "", PyYAML as None
        if tag is None or tag == "!":
            if plain and event.implicit[0]:
                tag = _RESOLVER.resolve(  # type: ignore[no-untyped-call]
                    yaml.ScalarNode, event.value, event.implicit
                )
            else:
                tag = "tag:yaml.org,2002:str"
        return Node("scalar", _line(event), event.start_mark.column + 1, tag, event.value, plain)

    def _open(self, event: Any) -> None:
        self._count(event)
        tag = event.tag
        if tag is not None and tag not in _STANDARD_TAGS:
            raise TreeError(
                "FM001",
                f"the front-matter uses the YAML tag {tag!r}; techfile never constructs "
                "application objects from YAML, so remove the tag",
                _line(event),
            )
        if len(self.stack) >= self.limits.max_depth:
            raise TreeError(
                "FM011",
                f"the front-matter nests deeper than {self.limits.max_depth} levels; "
                "techfile stopped reading it",
                _line(event),
            )
        kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
        node = Node(kind, _line(event), event.start_mark.column + 1, tag)
        self._attach(node)
        self.stack.append(node)
        self.pending_keys.append(None)
        if event.anchor:
            self.anchors[event.anchor] = node

    def _close(self) -> None:
        node = self.stack.pop()
        self.pending_keys.pop()
        node.size = (
            1 + sum(k.size + v.size for k, v in node.pairs) + sum(c.size for c in node.children)
        )

    def _alias(self, event: Any) -> None:
        target = self.anchors.get(event.anchor)
        if target is None:
            raise TreeError("FM001", f"the alias *{event.anchor} has no anchor", _line(event))
        if target in self.stack:
            raise TreeError("FM011", "the front-matter contains a recursive alias", _line(event))
        self.expanded += target.size
        if self.expanded > self.limits.max_alias_expansion:
            raise TreeError(
                "FM011",
                "YAML aliases in the front-matter expand to more than "
                f"{self.limits.max_alias_expansion:,} nodes (an alias bomb?); techfile stopped "
                "reading it",
                _line(event),
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


def _line(event: Any) -> int:
    return int(event.start_mark.line) + 1
