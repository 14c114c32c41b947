"""Reading what a user hands traindx, bounded: only regular files (a symlink to /dev/zero or a
FIFO would read forever), at most a size cap, and YAML without alias bombs or nesting deep
enough to exhaust Python's stack (JSON readers catch RecursionError where they parse). Every refusal is an InputError: one line, exit 2."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

MAX_TEXT_BYTES = 64 * 2 ** 20    # a config, policy, rules file or log line file read whole
MAX_YAML_NODES = 100_000         # values a YAML document expands to, aliases followed: past this
                                 # it is an alias bomb ("billion laughs"), not a config
MAX_DEPTH = 200                  # nesting deeper than this is no configuration anyone writes


def regular_file(path: Path, what: str = "file") -> os.stat_result:
    """The file's stat, after following links; InputError unless it is a regular file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(path, f"is a directory, expected a {what}")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, f"not a regular file (a device, pipe or socket), expected a {what}")
    return st


def read_bytes(path: Path, what: str = "file", limit: int = MAX_TEXT_BYTES) -> bytes:
    """At most `limit` bytes of a regular file; InputError beyond (the file is not read on)."""
    regular_file(path, what)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from None
    if len(data) > limit:
        raise InputError(path, f"larger than {limit // 2 ** 20} MiB, not read as a {what}")
    return data


def read_text(path: Path, what: str = "text file", limit: int = MAX_TEXT_BYTES) -> str:
    try:
        return read_bytes(Path(path), what, limit).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, f"not UTF-8 text, not a {what}") from None


class _BoundedLoader(yaml.SafeLoader):
    """yaml.SafeLoader (nothing in the file is run as code) that bounds the nesting depth."""

    def compose_node(self, parent, index):
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Refused(Exception):
    pass


def _expanded_size(node, memo: dict) -> int:
    """How many values `node` stands for once every alias is followed (shared nodes counted each
    time they are reached, each computed once)."""
    key = id(node)
    if key not in memo:
        if isinstance(node, yaml.SequenceNode):
            memo[key] = 1 + sum(_expanded_size(n, memo) for n in node.value)
        elif isinstance(node, yaml.MappingNode):
            memo[key] = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
        else:
            memo[key] = 1
    return memo[key]


def load_yaml(text: str, source: object) -> Any:
    """The YAML document in `text`; InputError naming `source` when it is not YAML, expands past
    MAX_YAML_NODES values (an alias bomb) or is nested too deeply."""
    try:
        loader = _BoundedLoader(text)  # checks the characters already: inside the try
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            if _expanded_size(node, {}) > MAX_YAML_NODES:
                raise _Refused(f"expands to more than {MAX_YAML_NODES:,} values (an alias bomb?)")
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except _Refused as exc:
        raise InputError(source, f"refused: {exc}") from None
    except RecursionError:
        raise InputError(source, "refused: nested too deeply") from None
    except ValueError as exc:  # a scalar YAML cannot build, e.g. an integer of 5000 digits
        raise InputError(source, f"a value cannot be read ({str(exc).splitlines()[0][:80]})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(source, f"not valid YAML{at}") from None
