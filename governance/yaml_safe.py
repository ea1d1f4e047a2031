"""Parse content YAML safely *and* boundedly.

``yaml.safe_load`` builds no objects, but it still expands aliases (a few lines can become
gigabytes: "billion laughs") and recurses once per nesting level (deep nesting ends in a
RecursionError, a 500). Before anything is composed, the token stream is checked — iteratively —
for size, anchors/aliases and nesting depth. Error messages give a line and a column, never a
value of the document.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_BYTES = 256 * 1024
MAX_DEPTH = 24

_OPEN = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


class ContentYamlError(ValueError):
    """The text is not acceptable content YAML; ``str()`` names the problem and its line."""


def _where(mark: Any) -> str:
    return "" if mark is None else f" (line {mark.line + 1}, column {mark.column + 1})"


def yaml_load_bounded(text: str) -> Any:
    """The YAML document in ``text``; raises ``ContentYamlError``."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ContentYamlError(f"The YAML text is larger than {MAX_BYTES // 1024} KB.")
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                where = _where(token.start_mark)
                raise ContentYamlError(f"YAML anchors and aliases (& and *) are refused{where}.")
            if isinstance(token, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ContentYamlError(
                        f"The YAML is nested more than {MAX_DEPTH} levels deep"
                        f"{_where(token.start_mark)}."
                    )
            elif isinstance(token, _CLOSE):
                depth -= 1
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        problem = error.problem or error.context or "not valid YAML"
        raise ContentYamlError(f"Not valid YAML: {problem}{_where(error.problem_mark)}.") from None
    except yaml.YAMLError:
        raise ContentYamlError("Not valid YAML.") from None


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def yaml_dump(document: Any) -> str:
    """YAML text that ``yaml_load_bounded`` accepts: shared values are written out, not aliased."""
    return yaml.dump(
        document, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, width=100
    )
